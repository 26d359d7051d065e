// Questionnaire enhancements; every page works without this file.
(() => {
  // The copy button needs the clipboard API: show it only where it can work.
  if (navigator.clipboard) {
    document.querySelectorAll("[data-copy-target][hidden]").forEach((button) => {
      button.hidden = false;
    });
  }
  // After a refused form, take keyboard and screen-reader users to the list of problems.
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
})();

// A live-findings request after the session ended is answered with the login page: reload
// the step instead, so the user logs in and comes straight back to it.
document.addEventListener("htmx:beforeSwap", (event) => {
  const url = (event.detail.xhr && event.detail.xhr.responseURL) || "";
  if (url.includes("/accounts/login/")) {
    event.detail.shouldSwap = false;
    window.location.reload();
  }
});
