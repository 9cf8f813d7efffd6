import { SCAN_GRADES, type ScanGrade } from '@bastion/contract';
import type { Command } from '../../../cli/command.js';
import { scanUrl, toObservatoryJson } from './scan.js';
import type { RetrievedSite } from './types.js';

// `npm run cli -- scan URL [--json] [--min-grade B]`: one scan from the terminal, so a team can
// gate its CI on its own site's grade. It trusts Node's CAs plus NODE_EXTRA_CA_CERTS (Node reads
// that variable itself; nothing is passed as `ca`), resolves names as the OS does, and obeys
// SCAN_ALLOW_CIDRS / SCAN_ALLOWED_PORTS like every other scan.

const rank = (grade: ScanGrade) => SCAN_GRADES.indexOf(grade);

function parseMinGrade(value: unknown): ScanGrade | null {
  if (value === undefined) return null;
  const grade = String(value).toUpperCase();
  if (!(SCAN_GRADES as readonly string[]).includes(grade)) {
    throw new Error(`--min-grade must be one of ${SCAN_GRADES.join(' ')}`);
  }
  return grade as ScanGrade;
}

function certificateLine(site: RetrievedSite): string {
  const tls = site.https.hops[0]?.tls;
  if (!tls) return `https: ${site.https.error ?? 'no TLS'}`;
  const leaf = tls.chain[0];
  const trust = tls.authorized ? 'trusted' : `not trusted (${tls.authorizationError})`;
  const name = tls.hostnameMatches ? 'matches the host' : 'does not match the host';
  const expiry = leaf ? `, expires ${leaf.validTo.slice(0, 10)}` : '';
  return `https: ${tls.protocol}, certificate ${trust}, ${name}${expiry}`;
}

export const scanCommand: Command = {
  description: 'Scan one URL (Observatory grade + extra checks); non-zero exit below --min-grade.',
  usage: 'scan URL [--json] [--min-grade B]',
  options: { json: { type: 'boolean' }, 'min-grade': { type: 'string' } },
  async run(context, values, positionals) {
    const url = positionals[0];
    if (!url || positionals.length > 1) throw new Error('usage: scan URL [--json] [--min-grade B]');
    if (!/^https?:\/\//i.test(url)) throw new Error('the URL must start with http:// or https://');
    const minGrade = parseMinGrade(values['min-grade']);
    const { report, site } = await scanUrl(url, { policy: context.config.scanEgress });

    if (values.json) {
      console.log(JSON.stringify(toObservatoryJson(report), null, 2));
    } else {
      const lines = [`${report.url}`];
      if (report.error) {
        lines.push(`could not be scanned: ${report.error}`);
      } else {
        lines.push(
          `Observatory grade ${report.grade} (score ${report.score}), extra checks ${report.extra.grade} (score ${report.extra.score})`,
          certificateLine(site),
          '',
        );
        for (const finding of report.findings) {
          const mark = finding.pass === null ? ' - ' : finding.pass ? 'ok ' : 'BAD';
          const modifier =
            finding.scoreModifier === 0
              ? ''
              : ` (${finding.scoreModifier > 0 ? '+' : ''}${finding.scoreModifier})`;
          lines.push(
            `${mark} ${finding.source === 'extra' ? '[extra] ' : ''}${finding.test}: ${finding.description}${modifier}`,
          );
        }
      }
      console.log(lines.join('\n'));
    }

    if (!report.grade) {
      process.exitCode = 1;
    } else if (minGrade && rank(report.grade) > rank(minGrade)) {
      if (!values.json) console.error(`grade ${report.grade} is below the minimum ${minGrade}`);
      process.exitCode = 1;
    }
  },
};
