import { describe, expect, it } from 'vitest';
import { errorPage } from './error-page.js';
import { context, probe, site } from './test-site.js';

const check = (body: string, status = 404) =>
  errorPage(
    site({ notFound: probe('https://example.test/bastion-404', status, body, 'text/html') }),
    context,
  )[0]!;

const NODE_TRACE = `Error: ENOENT: no such file or directory, open '/srv/app/views/x.html'
    at Object.openSync (node:fs:573:3)
    at render (/srv/app/server.js:42:17)`;
const PY_TRACE =
  'Traceback (most recent call last):\n  File "/srv/app/views.py", line 10, in index\nKeyError: \'x\'';
const JAVA_TRACE = 'java.lang.NullPointerException: oops\n\tat com.example.Foo.bar(Foo.java:10)';
const PHP =
  '<br />\n<b>Fatal error</b>:  Uncaught Exception in /var/www/index.php on line <b>3</b><br />';
const DJANGO =
  '<p>You&#x27;re seeing this error because you have <code>DEBUG = True</code> in your Django settings file.</p>';
const ASPNET = "<h1>Server Error in '/' Application.</h1>";

describe('error-page-disclosure', () => {
  it.each([
    ['Node.js stack trace', NODE_TRACE, 500],
    ['Python traceback', PY_TRACE, 500],
    ['Java stack trace', JAVA_TRACE, 500],
    ['PHP error', PHP, 200],
    ['Django debug page', DJANGO, 404],
    ['ASP.NET error page', ASPNET, 404],
  ])('fails on a %s', (name, body, status) => {
    const finding = check(body, status);
    expect(finding).toMatchObject({
      result: 'error-page-stack-trace',
      pass: false,
      severity: 'medium',
      scoreModifier: -10,
    });
    expect(finding.evidence).toBe(`https://example.test/bastion-404 (${status}): ${name}`);
    // The page text (paths, messages) never reaches the evidence.
    expect(finding.evidence).not.toContain('/srv/app');
  });

  it.each([
    ['Spring Whitelabel error page', '<h1>Whitelabel Error Page</h1>'],
    ['Express default 404', '<pre>Cannot GET /bastion-404</pre>'],
    ['Apache Tomcat error page', '<h3>Apache Tomcat/9.0.65</h3>'],
    [
      'server signature with version',
      '<address>Apache/2.4.41 (Ubuntu) Server at example.test Port 443</address>',
    ],
  ])('flags a %s at low severity', (name, body) => {
    expect(check(body)).toMatchObject({
      result: 'error-page-framework-default',
      severity: 'low',
      evidence: expect.stringContaining(name),
    });
  });

  it('passes a plain error page', () => {
    expect(check('<h1>Not found</h1><p>Sorry, at line 3 of our apology.</p>')).toMatchObject({
      result: 'error-page-generic',
      pass: true,
    });
  });

  it('does not apply when the probe failed', () => {
    const failed = { ...probe('https://example.test/x', 0, ''), error: 'timeout' };
    expect(errorPage(site({ notFound: failed }), context)[0]).toMatchObject({
      pass: null,
      result: 'error-page-not-tested',
    });
  });
});
