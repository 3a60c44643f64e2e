// Attendance without signal: the check-in page and the grid of one event keep
// working when the hall's network drops (the server's half: training/offline.py).
// A service worker keeps a copy of both pages and of the event's roster, served
// only when the network fails. Marks wait in IndexedDB (idb-keyval) until the
// server has them, each with a random id (sent twice, recorded once), the time it
// was made, and the time of the cell's last change this phone knew of, so that
// the server can tell which of two changes came later.
(() => {
  const panel = document.getElementById("offline");
  if (!panel || !window.indexedDB || !window.idbKeyval || !window.crypto?.randomUUID) return;
  const { event, user } = panel.dataset;
  const queue = idbKeyval.createStore("kampungkb-offline", "marks");
  const checkinForm = document.getElementById("checkin-form");
  const grid = document.getElementById("attendance-grid");
  const report = document.getElementById("offline-report");
  let roster = null; // what this phone knows of the event, as the page shows it
  let sending = false;
  let sendAgain = false;
  let savedCells = 0; // the grid's plain saves, told as one count

  const text = (name, values = {}) =>
    panel.dataset[name].replace(/%\((\w+)\)[sd]/g, (_match, key) => values[key]);
  const clock = (iso) =>
    new Date(iso).toLocaleTimeString("id-ID", { hour: "2-digit", minute: "2-digit" });
  const today = () =>
    new Intl.DateTimeFormat("en-CA", { timeZone: roster.time_zone }).format(new Date());

  function showState(state) {
    panel.querySelector("[data-offline-state]").textContent =
      text(`text${state}`, { time: roster && clock(roster.generated_at) });
    panel.querySelector("[data-offline-sign-in]").classList.toggle("d-none", state !== "Expired");
    panel.classList.toggle("alert-warning", state !== "Ready");
  }

  async function waiting() {
    const marks = await idbKeyval.values(queue);
    return marks
      .filter((mark) => mark.user === user && mark.event === event)
      .sort((a, b) => a.made_at.localeCompare(b.made_at));
  }

  async function showPending() {
    const count = (await waiting()).length;
    panel.querySelector("[data-offline-pending]").textContent = count
      ? text("textPending", { n: count })
      : text("textSent");
  }

  function say(message, warning = false) {
    const line = document.createElement("li");
    line.textContent = message;
    if (warning) line.className = "text-warning-emphasis fw-semibold";
    report.prepend(line);
    while (report.children.length > 50) report.lastChild.remove();
  }

  // -- the queue ----------------------------------------------------------------------

  // Each change is queued with the cell it is for; a newer change of a cell still
  // waiting replaces it, knowing what it knew.
  async function enqueue(changes) {
    const earlier = new Map((await waiting()).map((mark) => [mark.cell, mark]));
    const madeAt = new Date().toISOString();
    const marks = changes.map((change) => ({
      id: crypto.randomUUID(),
      user,
      event,
      made_at: madeAt,
      seen: earlier.get(change.cell)?.seen ?? roster.cells[change.cell]?.at ?? null,
      ...change,
    }));
    const replaced = changes.filter((c) => earlier.has(c.cell)).map((c) => earlier.get(c.cell).id);
    await idbKeyval.delMany(replaced, queue);
    await idbKeyval.setMany(marks.map((mark) => [mark.id, mark]), queue);
    await showPending();
    send();
  }

  function csrfToken() {
    return document.querySelector("input[name=csrfmiddlewaretoken]").value;
  }

  async function send() {
    if (sending) {
      sendAgain = true; // marks queued while a send is on its way go right after it
      return;
    }
    sending = true;
    sendAgain = false;
    try {
      let marks;
      while ((marks = await waiting()).length) {
        const response = await fetch(panel.dataset.receive, {
          method: "POST",
          redirect: "manual",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify({ marks: marks.slice(0, 500) }),
        });
        if (response.type === "opaqueredirect" || response.status === 403) {
          showState("Expired"); // kept until this user signs in again
          return;
        }
        if (!response.ok) return; // the server's trouble: kept, sent again later
        const { receipts } = await response.json();
        await idbKeyval.delMany(receipts.map((receipt) => receipt.id), queue);
        receipts.forEach(took);
        if (!receipts.length) return;
      }
      if (savedCells) say(text("textSaved", { n: savedCells }));
      savedCells = 0;
      showState("Ready");
      keep([panel.dataset.roster]); // a copy that knows what the server now holds
    } catch {
      showState("Offline");
    } finally {
      sending = false;
      await showPending();
      if (sendAgain) send();
    }
  }

  function took(receipt) {
    const cell = receipt.cell;
    if (cell) {
      const key = `${cell.registration}-${cell.day}`;
      roster.cells[key] = cell.at ? { status: cell.status, at: cell.at } : undefined;
      showCell(key, cell.status, false);
    }
    const plain = receipt.outcome === "tersimpan" && !checkinForm;
    if (plain) savedCells += 1;
    else say(receipt.message, !["tersimpan", "diulang"].includes(receipt.outcome));
  }

  // -- the grid -----------------------------------------------------------------------

  // A cell as the server (or the queue) holds it; a choice made in the meantime and
  // not yet saved stays on screen, to be saved as a change of that.
  function showCell(key, status, pending) {
    const select = grid?.querySelector(`select[name="a-${key}"]`);
    if (!select) return;
    const untouched = select.selectedOptions[0]?.defaultSelected ?? true;
    for (const option of select.options) option.defaultSelected = option.value === status;
    if (untouched || pending) select.value = status;
    select.closest("td").classList.toggle("att-pending", pending);
  }

  async function showGrid() {
    for (const select of grid.querySelectorAll("select[name^='a-']")) {
      const key = select.name.slice(2);
      showCell(key, roster.cells[key]?.status ?? "", false);
    }
    for (const mark of await waiting()) {
      showCell(mark.cell, mark.code ? "hadir" : mark.status, true); // a check-in: present
    }
  }

  grid?.addEventListener("submit", async (submit) => {
    if (!roster) return; // nothing known to compare with: the form posts itself
    submit.preventDefault();
    const changed = [...grid.querySelectorAll("select[name^='a-']")].filter(
      (select) => !select.selectedOptions[0]?.defaultSelected,
    );
    if (!changed.length) return say(text("textUnchanged"));
    const changes = changed.map((select) => {
      const [registration, day] = select.name.slice(2).split("-").map(Number);
      return { cell: `${registration}-${day}`, registration, day, status: select.value };
    });
    changes.forEach((change) => showCell(change.cell, change.status, true));
    await enqueue(changes);
  });

  // -- check-in -----------------------------------------------------------------------

  function showProblem(input, problem) {
    let feedback = document.getElementById("code-problem");
    if (!feedback) {
      feedback = document.createElement("div");
      feedback.id = "code-problem";
      feedback.className = "invalid-feedback";
      input.after(feedback);
      input.setAttribute("aria-describedby", feedback.id);
    }
    feedback.textContent = problem;
    input.classList.toggle("is-invalid", Boolean(problem));
  }

  // A participant checked in on this page: their row says so, and today's count rises.
  function showPresent(participant) {
    const row = document.querySelector(`[data-registration="${participant.id}"]`);
    if (!row || "present" in row.dataset) return;
    row.dataset.present = "";
    row.querySelector("button")?.replaceWith(Object.assign(document.createElement("span"), {
      className: "badge text-bg-success", textContent: text("textPresent"),
    }));
    const count = document.querySelector("[data-present-count]");
    if (count) count.textContent = Number(count.textContent) + 1;
  }

  // By the code typed or scanned, or by the "Catat hadir" of a name in the roster.
  document.addEventListener("submit", async (submit) => {
    const form = submit.target;
    if (!roster || !form.matches("[data-checkin]")) return;
    submit.preventDefault();
    const input = form.querySelector("input[name=code]");
    const chosen = submit.submitter?.name === "code" ? submit.submitter.value : input.value;
    const code = chosen.trim().toUpperCase();
    const participant = roster.participants.find((p) => p.code === code);
    const day = roster.days.find((d) => d.date === today());
    const problem = !code
      ? text("textEmpty")
      : !day
        ? text("textNotEventDay")
        : !participant
          ? text("textUnknownCode", { code })
          : "";
    if (input) showProblem(input, problem);
    else if (problem) say(problem, true);
    if (problem) return input?.focus();
    say(text("textNoted", { name: participant.name }));
    showPresent(participant);
    if (input) {
      input.value = "";
      input.focus();
    }
    await enqueue([{ cell: `${participant.id}-${day.id}`, code }]);
  });

  // -- copies kept by the service worker ----------------------------------------------

  async function keep(urls) {
    const registration = await navigator.serviceWorker?.getRegistration(panel.dataset.scope);
    if (!registration?.active) return false;
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = (reply) => resolve(reply.data);
      registration.active.postMessage({ keep: urls }, [channel.port2]);
    });
  }

  async function keepThisEvent() {
    if (!navigator.serviceWorker) return false;
    await navigator.serviceWorker.register(panel.dataset.worker, { scope: panel.dataset.scope });
    await navigator.serviceWorker.ready;
    const assets = performance
      .getEntriesByType("resource")
      .map((entry) => entry.name)
      .filter((url) => url.startsWith(location.origin + panel.dataset.static));
    const pages = panel.dataset.keep.split(" ");
    return keep([...pages, location.pathname + location.search, panel.dataset.roster, ...assets]);
  }

  async function loadRoster() {
    try {
      const response = await fetch(panel.dataset.roster, { redirect: "manual" });
      if (response.type === "opaqueredirect") return showState("Expired");
      if (response.ok) roster = await response.json();
    } catch {
      // no network and no copy kept: the page's own forms work when signal returns
    }
  }

  (async () => {
    await loadRoster();
    panel.classList.remove("d-none");
    if (!roster) return showPending();
    if (grid) await showGrid();
    showState(navigator.onLine ? "Ready" : "Offline");
    await showPending();
    if (navigator.onLine && (await keepThisEvent())) panel.dataset.kept = "true";
    send();
  })();
  addEventListener("online", send);
  addEventListener("offline", () => showState("Offline"));
  setInterval(send, 20_000);
})();
