// Keep the phone's verdict bar (assessments/wizard/step_base.html) in step with the findings
// panel, which htmx refreshes as answers are typed. Without this file the bar shows the
// verdict as last saved, and its link still jumps to the panel.
(() => {
  const bar = document.getElementById("verdict-bar");
  const panel = document.getElementById("live-findings");
  if (!bar || !panel) return;
  const badgeSlot = document.getElementById("verdict-bar-badge");
  const count = document.getElementById("verdict-bar-count");

  const update = () => {
    const badge = panel.querySelector(".findings > p:first-child .badge");
    if (badge) badgeSlot.replaceChildren(badge.cloneNode(true));
    const findings = panel.querySelectorAll(".findings ol > li").length;
    count.textContent = `${findings} finding${findings === 1 ? "" : "s"}`;
  };
  new MutationObserver(update).observe(panel, { childList: true, subtree: true });

  // Jump to the panel and put the keyboard focus there, so reading continues from it.
  bar.querySelector("a[href='#findings-heading']")?.addEventListener("click", () => {
    const heading = document.getElementById("findings-heading");
    if (!heading) return;
    heading.setAttribute("tabindex", "-1");
    // After the browser's own jump to the anchor.
    window.setTimeout(() => heading.focus({ preventScroll: true }), 0);
  });
})();
