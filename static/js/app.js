// Kampung KB: small behaviours, no inline scripts (see the Content-Security-Policy).

// Whether a field now holds another value than the one the page drew.
function isEdited(input) {
  if (input.type === "checkbox" || input.type === "radio") {
    return input.checked !== input.defaultChecked;
  }
  if (input.tagName === "SELECT") {
    return [...input.options].some((option) => option.selected !== option.defaultSelected);
  }
  return input.value !== input.defaultValue;
}

// The copies of rosters kept for attendance without signal (static/js/offline.js)
// belong to the one who opened them: signing out deletes them, and so does the
// next page when someone else has signed in since.
async function forgetOfflineCopies() {
  if (!window.caches) return;
  for (const name of await caches.keys()) {
    if (name.startsWith("kampungkb-offline-")) await caches.delete(name);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-sign-out]").forEach((form) => {
    form.addEventListener("submit", async (submit) => {
      submit.preventDefault();
      try {
        await forgetOfflineCopies();
      } finally {
        form.submit();
      }
    });
  });
  const user = document.body.dataset.user;
  if (user && localStorage.getItem("kampungkb-offline-user") !== user) {
    forgetOfflineCopies().then(() => localStorage.setItem("kampungkb-offline-user", user));
  }

  // Attendance grid: "mark everyone present" for one day column.
  document.querySelectorAll("[data-fill-column]").forEach((button) => {
    button.addEventListener("click", () => {
      const day = button.dataset.fillColumn;
      document.querySelectorAll(`select[data-day="${day}"]`).forEach((select) => {
        if (!select.value) select.value = button.dataset.value;
      });
    });
  });
  // Prepared messages: copy the text to the clipboard (where the browser allows it).
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.addEventListener("click", async () => {
      const text = document.getElementById(button.dataset.copy);
      try {
        await navigator.clipboard.writeText(text.value);
        button.textContent = button.dataset.copied;
      } catch {
        text.select(); // no clipboard access: selected, ready for the phone's own copy
      }
    });
  });
  // A month's profile opens with last month's answers: each one changed since the page
  // opened is marked, as the server marks those that came back different.
  document.querySelectorAll("form[data-mark-changes]").forEach((form) => {
    form.addEventListener("input", (event) => {
      const answer = event.target.closest(".col, .col-12");
      if (!answer) return;
      const changed = [...answer.querySelectorAll("input, select, textarea")].some(isEdited);

      answer.classList.toggle("answer-changed", changed);
    });
  });
  // The door: when the name typed matches nobody, the newcomer's form opens with it.
  document.body.addEventListener("htmx:afterSwap", (swap) => {
    const none = swap.detail.target.querySelector?.("[data-no-match]");
    const newcomer = document.getElementById("door-newcomer");
    if (!none || !newcomer) return;
    newcomer.open = true;
    const name = document.getElementById("id_baru-name");
    if (!name.value.trim()) name.value = none.dataset.noMatch;
  });
  // An invalid form's summary of errors takes the focus, so that it is read first.
  document.querySelector("[data-error-summary]")?.focus();
  // Charts: a canvas[data-chart] names the json_script element of its data and, in
  // data-chart-src, Chart.js, which is fetched once the first chart nears the screen,
  // so that a phone draws the page first.
  const canvases = document.querySelectorAll("canvas[data-chart]");
  if (canvases.length) {
    const sight = new IntersectionObserver((seen) => {
      if (!seen.some((entry) => entry.isIntersecting)) return;
      sight.disconnect();
      const script = document.createElement("script");
      script.src = canvases[0].dataset.chartSrc;
      script.onload = () => canvases.forEach(drawChart);
      document.head.append(script);
    }, { rootMargin: "200px" });
    canvases.forEach((canvas) => sight.observe(canvas));
  }
});

// A line chart of the data in the json_script element a canvas names.
function drawChart(canvas) {
  const data = JSON.parse(document.getElementById(canvas.dataset.chart).textContent);
  new Chart(canvas, {
    type: "line",
    data: { labels: data.labels, datasets: data.datasets },
    options: { responsive: true, maintainAspectRatio: false, spanGaps: true,
               scales: { y: { beginAtZero: true, suggestedMax: data.suggestedMax ?? 100,
                              ticks: data.counts ? { precision: 0 } : {} } } },
  });
}
