// A few lines of progressive enhancement; every form works without them.
// A form marked data-progress shows a progress bar while its (long) work is sent and done.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-progress")) return;
  const status = form.querySelector("[data-progress-status]");
  if (!status) return;
  status.hidden = false;
  status.querySelector("progress")?.removeAttribute("value");
  form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
});
