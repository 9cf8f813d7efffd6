// An exposed /.git/ lets anyone download the repository — source, history and any secret ever
// committed. /.git/HEAD is the tell: `ref: refs/heads/…` or a bare commit hash. The evidence says
// which form was seen, never the branch or hash.
import type { Check } from '../types.js';
import { DOCS, finding, found } from './finding.js';

const TEST = 'exposed-git';
export const GIT_HEAD_PATH = '/.git/HEAD';

export function isGitHead(body: string): 'ref' | 'sha' | null {
  const text = body.trim();
  if (/^ref: refs\/\S+$/.test(text)) return 'ref';
  if (/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(text)) return 'sha';
  return null;
}

export const exposedGit: Check = (site) => {
  if (!site.probes[GIT_HEAD_PATH]) {
    return [
      finding({
        test: TEST,
        result: 'exposed-git-not-tested',
        pass: null,
        severity: 'info',
        description: `${GIT_HEAD_PATH} was not fetched.`,
        docs: DOCS.metafiles,
      }),
    ];
  }
  const probe = found(site, GIT_HEAD_PATH);
  const kind = probe ? isGitHead(probe.body) : null;
  if (probe && kind) {
    return [
      finding({
        test: TEST,
        result: 'exposed-git-repository',
        pass: false,
        severity: 'critical',
        description:
          'The Git repository is served: anyone can download the source and its history.',
        evidence: `${probe.url} answered 200 with a Git HEAD (${kind === 'ref' ? 'ref: refs/…' : 'a commit hash'})`,
        recommendation:
          'Deny every path under /.git/ on the web server, deploy without the .git folder, and rotate any secret that was ever committed.',
        docs: DOCS.metafiles,
      }),
    ];
  }
  return [
    finding({
      test: TEST,
      result: 'exposed-git-not-found',
      pass: true,
      severity: 'info',
      description: `${GIT_HEAD_PATH} is not served.`,
      evidence: `${site.probes[GIT_HEAD_PATH].url} answered ${site.probes[GIT_HEAD_PATH].status}`,
      docs: DOCS.metafiles,
    }),
  ];
};
