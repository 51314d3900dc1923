// While a paper is being written, fetch its status page every few seconds and replace the
// status region (a live region, so screen readers hear the change) until it is finished.
// Without JavaScript the page's "Check now" link does the same.
const region = document.getElementById("paper-status");
if (region && region.dataset.waiting === "true") {
  const poll = async () => {
    try {
      const answer = await fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" });
      if (answer.ok) {
        const page = new DOMParser().parseFromString(await answer.text(), "text/html");
        const fresh = page.getElementById("paper-status");
        if (fresh) {
          region.innerHTML = fresh.innerHTML;
          region.dataset.waiting = fresh.dataset.waiting;
        }
      }
    } catch (error) {
      // A network hiccup: try again on the next tick.
    }
    if (region.dataset.waiting === "true") {
      window.setTimeout(poll, 3000);
    }
  };
  window.setTimeout(poll, 3000);
}
