/* What the reader sees, on screens (a printed page is left as it is):
   - a click or tap on a figure opens it at its full size, over the page
     (the figure is a link to its PNG, which a browser without scripts opens;
     for a figure in two renditions, the PNG the browser shows);
   - a table wider than its column is shown as stacked rows, each cell under
     the heading of its column (nnbook.css), whenever the column is too narrow. */
(() => {
  "use strict";
  if (window.matchMedia("print").matches) return;

  const article = () => document.querySelector(".bd-article") || document.querySelector("main");

  // --- figures at full size ----------------------------------------------------
  let dialog = null;
  let opener = null;
  const viewer = () => {
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.className = "nnbook-zoom-dialog";
    dialog.setAttribute("aria-label", "Figure at full size");
    dialog.innerHTML =
      '<form method="dialog"><button class="nnbook-zoom-close" aria-label="Close">' +
      "&times;</button></form>" +
      // The frame takes the focus (arrow keys scroll it); Escape or the button closes.
      '<div class="nnbook-zoom-frame" tabindex="0" autofocus><img alt=""></div>';
    // A click outside the picture (on the backdrop or the frame) closes it.
    dialog.addEventListener("click", (event) => {
      if (event.target.tagName !== "IMG") dialog.close();
    });
    // Escape closes it by itself here: the theme's scripts cancel Escape key presses.
    dialog.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        dialog.close();
      }
    });
    // Back to the figure the reader came from.
    dialog.addEventListener("close", () => opener && opener.focus());
    document.body.append(dialog);
    return dialog;
  };

  const zoomable = (root) => {
    for (const img of root.querySelectorAll(".cell_output img, figure img")) {
      if (img.closest("a") || !img.getAttribute("src")) continue;
      const link = document.createElement("a");
      link.href = img.getAttribute("src");
      link.className = "nnbook-zoom";
      link.title = "Open the figure at full size";
      // A figure in two renditions (a <picture>: narrow on a phone) stays whole,
      // and the link goes to the rendition the browser chose.
      const shown = img.parentElement.tagName === "PICTURE" ? img.parentElement : img;
      const follow = () => {
        if (img.currentSrc) link.href = img.currentSrc;
      };
      img.addEventListener("load", follow);
      follow();
      shown.replaceWith(link);
      link.append(shown);
      link.addEventListener("click", (event) => {
        follow();
        if (typeof HTMLDialogElement !== "function" || event.ctrlKey || event.metaKey) return;
        event.preventDefault();
        const box = viewer();
        const big = box.querySelector("img");
        big.src = img.currentSrc || img.src;
        big.alt = img.alt;
        opener = link;
        box.showModal();
      });
    }
  };

  // --- tables as stacked rows when they do not fit ----------------------------
  const label = (table) => {
    const head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head || head.cells.length < 2) return false;
    const names = [...head.cells].map((th) => th.textContent.replace(/\s+/g, " ").trim());
    for (const body of table.tBodies)
      for (const row of body.rows)
        [...row.cells].forEach((cell, i) => {
          if (names[i]) cell.dataset.label = names[i];
        });
    return true;
  };

  const restack = (tables) => {
    for (const table of tables) table.classList.remove("nnbook-stacked");
    for (const table of tables) {
      const column = table.parentElement.closest(":not(.pst-scrollable-table-container)");
      if (table.getBoundingClientRect().width > column.clientWidth + 1)
        table.classList.add("nnbook-stacked");
    }
  };

  const start = () => {
    const root = article();
    if (!root) return;
    zoomable(root);
    const tables = [...root.querySelectorAll("table")].filter(
      (t) => !t.closest("table table") && !t.classList.contains("genindextable") && label(t),
    );
    if (!tables.length) return;
    let pending = false;
    let width = -1;
    const again = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        width = root.clientWidth;
        restack(tables);
      });
    };
    restack(tables);
    // Again when the column's width changes, and once formulas and fonts are in.
    new ResizeObserver(() => root.clientWidth !== width && again()).observe(root);
    window.addEventListener("load", () => {
      again();
      const mathjax = window.MathJax && MathJax.startup && MathJax.startup.promise;
      if (mathjax) mathjax.then(again);
    });
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
