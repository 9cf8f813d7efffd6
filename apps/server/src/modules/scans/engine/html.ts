import { DomUtils, parseDocument } from 'htmlparser2';
import type { HeaderMap } from './types.js';

// The scan engine's one HTML parser (htmlparser2: forgiving, like a browser about broken
// markup). Checks that need elements (SRI on <script>, mixed content, <meta>) use these helpers.

export type HtmlDocument = ReturnType<typeof parseDocument>;
export type HtmlElement = ReturnType<typeof DomUtils.getElementsByTagName>[number];

export function parseHtml(html: string): HtmlDocument {
  return parseDocument(html, { lowerCaseTags: true, lowerCaseAttributeNames: true });
}

/** Every element with this tag name, in document order. */
export function elementsByTag(document: HtmlDocument, tag: string): HtmlElement[] {
  return DomUtils.getElementsByTagName(tag, document, true);
}

/** `<meta http-equiv="X" content="Y">` as a header map (lower-case names, every value kept). */
export function metaHttpEquiv(document: HtmlDocument): HeaderMap {
  const headers: HeaderMap = {};
  for (const meta of elementsByTag(document, 'meta')) {
    const name = meta.attribs['http-equiv']?.trim().toLowerCase();
    const content = meta.attribs.content;
    if (!name || content === undefined) continue;
    (headers[name] ??= []).push(content);
  }
  return headers;
}
