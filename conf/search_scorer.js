/*
 * nnbook's ranking of search results, and their snippets (html_search_scorer
 * in conf.py).
 *
 * Sphinx scores a page by the best of the query's words, so for "chain rule" a
 * chapter with "rule" in one section title ties with the chapter whose title
 * is about the chain rule, and the tie is broken alphabetically. Here a page
 * ranks by the share of the query's words its own title holds: one whose title
 * holds every word ranks above the pages that only contain them. Objects, section titles and index entries keep Sphinx's
 * scores, and the weights are Sphinx's defaults (sphinx/themes/basic/static/
 * searchtools.js); Sphinx loads this file after searchtools.js and calls
 * Scorer.score on every result but objects' own.
 */
var Scorer = {
  score: (result) => {
    const [_docname, title, _anchor, _descr, score, _filename, kind] = result;
    if (kind !== "text") return score;
    const query = new URLSearchParams(window.location.search).get("q") || "";
    const words = query.toLowerCase().split(/\s+/).filter((word) => word.length > 0);
    const heading = (title || "").toLowerCase();
    // The share of the query's words in the page's own title: all of them add
    // Scorer.title, half of them half of it ("learning rate range test" finds the
    // learning-rate chapter before a page that has "learning" in a section title).
    const inTitle = words.filter((word) => heading.includes(word)).length;
    return words.length > 0 ? score + (Scorer.title * inTitle) / words.length : score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};

/*
 * The snippet under each result is drawn from the page's article alone. Sphinx
 * takes the text of the page's [role="main"] element, which sphinx-book-theme
 * makes the article together with its header (the download and light/dark
 * buttons) and the page's table of contents: a result for a page title read
 * "...ight Dark What is the use of the learning rate? Contents...". Sphinx's
 * own function still does the rest (links, scripts, the anchor's section).
 */
if (typeof Search !== "undefined") {
  const wholeMain = Search.htmlToText;
  Search.htmlToText = (htmlString, anchor) => {
    const page = new DOMParser().parseFromString(htmlString, "text/html");
    const main = page.querySelector('[role="main"]');
    const article = main && main.querySelector("article");
    if (article) main.replaceChildren(article);
    return wholeMain(page.documentElement.outerHTML, anchor);
  };
}
