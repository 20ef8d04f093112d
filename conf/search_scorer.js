/*
 * nnbook's ranking of search results (html_search_scorer in conf.py).
 *
 * Sphinx scores a page by the best of the query's words, so for "chain rule" a
 * chapter with "rule" in one section title ties with the chapter whose title
 * is about the chain rule, and the tie is broken alphabetically. Here a page
 * whose own title holds every word of the query ranks above the pages that
 * only contain them. Objects, section titles and index entries keep Sphinx's
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
    const whole = words.length > 0 && words.every((word) => heading.includes(word));
    return whole ? score + Scorer.title : score;
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
