// HTML reader: one web page -> its article text and metadata, with gumbo.
//
// Input: the page as UTF-8 (encoding.h decodes it first; DeclaredHtmlCharset gives the decoder
// the page's own <meta charset>). Output: a ParsedArticle (formats.h):
//   body       the main text, one paragraph per block element (p, div, li, h2, td, ...) with a
//              blank line between paragraphs; <br> breaks a line; white space collapses as a
//              browser shows it, except inside <pre>. The text is that of the <article> with
//              the most text if it holds at least half the text of the container, else of the
//              container: <main> (or role="main") if it holds half the text of <body>, else
//              <body>. A list of teasers thus reads as a whole, a story beside cards alone.
//              Never read: nav, footer, aside, script, style, noscript, form, iframe, svg,
//              button and other controls, figcaption (photo credits), a <header> outside the
//              article, hidden elements, and elements whose class, id or role names a page
//              block (nav, menu, share, social, comment, related, cookie, newsletter, subscribe,
//              promo, advert, footer, breadcrumb, byline, sidebar, ...) unless they hold half
//              the text or more (a page wrapper named "with-sidebar" is not a sidebar). A
//              paragraph that only repeats the title is dropped: the title is stored first.
//   title      og:title, else JSON-LD "headline", else the first <h1>, else <title>
//   url        <link rel="canonical">, else og:url
//   published  article:published_time and the other date metas (og:, itemprop, name="date",
//              Dublin Core, ...), else JSON-LD "datePublished" (top level, arrays and @graph),
//              else the first <time datetime>; the first that NormalizePublishedDate accepts
//   author     <meta name="author">, else the JSON-LD author's name(s)
//   language   <html lang>, else og:locale, as its primary subtag ("en-GB" -> "en")
//   source     og:site_name
// Bounds: a page over limits::kMaxHtmlBytes is read up to that size; markup nested deeper than
// limits::kMaxHtmlDepth is cut where it gets there (gumbo's parse time grows with the square of
// the depth); both add a warning. The tree is walked without recursion.
//
// Errors: none; gumbo recovers from any markup, and broken JSON-LD is ignored.
// Thread-safety: pure functions.
#ifndef STANCETRACK_PIPELINE_HTML_H_
#define STANCETRACK_PIPELINE_HTML_H_

#include <string>
#include <string_view>

#include "pipeline/formats.h"

namespace stancetrack {

ParsedArticle ParseHtmlArticle(std::string_view utf8);

// The charset a page declares with <meta charset="..."> or <meta http-equiv="Content-Type"
// content="...; charset=...">, searched in its first limits::kMaxCharsetPrescanBytes raw
// bytes; "" when none. A CharsetDeclaration for DecodeText (encoding.h).
std::string DeclaredHtmlCharset(std::string_view bytes);

// How many leading bytes of `html` nest at most limits::kMaxHtmlDepth elements deep: html.size()
// unless the markup goes deeper. An estimate from above of the depth of gumbo's tree: elements
// are closed only by their own end tag; void elements, elements whose end tag HTML lets a page
// omit (p, li, td, ...), comments and the text of script, style and textarea open nothing.
size_t HtmlNestingCut(std::string_view html);

}  // namespace stancetrack

#endif  // STANCETRACK_PIPELINE_HTML_H_
