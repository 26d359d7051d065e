// Warn before leaving a questionnaire step with changes that are not saved yet.
// Loaded (deferred) by assessments/wizard/step_base.html; the step works without it.
(() => {
  const form = document.getElementById("step-form");
  if (!form) return;

  const MESSAGE = "You have changes on this step that are not saved. Leave without saving them?";
  // A step shown again after a refused save holds typed answers that are not saved either.
  let unsaved = Boolean(document.getElementById("error-summary"));

  const markUnsaved = () => { unsaved = true; };
  form.addEventListener("input", markUnsaved);
  form.addEventListener("change", markUnsaved);
  // Continue, Save draft and Back all save: leaving through them loses nothing.
  form.addEventListener("submit", () => { unsaved = false; });

  // Closing the tab, reloading, typing another address, or a form elsewhere on the page.
  window.addEventListener("beforeunload", (event) => {
    if (!unsaved) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers need it set to show their own prompt
  });

  const leavesThePage = (link, event) => {
    if (event.defaultPrevented || event.button !== 0) return false;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return false; // new tab
    if (link.hasAttribute("download")) return false;
    if (link.target && link.target !== "_self") return false;
    const url = new URL(link.href, window.location.href);
    const here = window.location;
    // A link to another part of this page (e.g. "Show findings") keeps what was typed.
    return !(url.hash && url.origin === here.origin && url.pathname === here.pathname
      && url.search === here.search);
  };

  // Links (the navigation bar, the breadcrumb, the steps of the progress bar): ask in words
  // the page chooses, before the browser's generic prompt.
  document.addEventListener("click", (event) => {
    if (!unsaved) return;
    const link = event.target.closest("a[href]");
    if (!link || !leavesThePage(link, event)) return;
    if (window.confirm(MESSAGE)) {
      unsaved = false; // asked once: the browser's prompt need not ask again
    } else {
      event.preventDefault();
    }
  });
})();
