// A spreadsheet import's progress page (console/import_progress.html): while the rows are recorded,
// its bar and counts move on from `…/{import id}/progress` (JSON: counts only) once a second, so the
// page never reloads itself on a timer, which interrupts a screen reader (WCAG 2.2.1). When the
// recording has ended, a link to the result appears in the page's status region, announced once.
// Without this script the page's own link shows the latest counts.
"use strict";
(function () {
  const live = document.getElementById("import-live");
  if (!live) return;
  const url = live.dataset.progress;
  const bar = document.getElementById("import-progress");
  const sentence = document.getElementById("import-done");
  const digits = (n) => n.toLocaleString("en-US");

  function show(progress) {
    bar.max = progress.rows;
    bar.value = progress.done;
    bar.textContent = progress.rows ? Math.floor((progress.done * 100) / progress.rows) + "%" : "100%";
    sentence.textContent = sentence.dataset.sentence.replace("{done}", digits(progress.done));
    for (const name of ["recorded", "already", "refused"]) {
      document.getElementById("import-" + name).textContent = digits(progress[name]);
    }
  }

  function finished() {
    const status = document.getElementById("import-finished");
    const link = document.getElementById("import-finished-link").content.cloneNode(true);
    status.replaceChildren(link);
    document.getElementById("import-latest").hidden = true;
  }

  async function poll() {
    try {
      const answer = await fetch(url, { credentials: "same-origin", cache: "no-store" });
      if (answer.ok) {
        const progress = await answer.json();
        show(progress);
        if (progress.state !== "recording") {
          finished();
          return;
        }
      }
    } catch (error) {
      // A lost answer (a restarting server): try again at the next tick; the link still works.
    }
    window.setTimeout(poll, 1000);
  }

  window.setTimeout(poll, 1000);
})();
