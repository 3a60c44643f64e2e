{% load static %}// Kampung KB: the check-in page and the attendance grid without signal.
// Network first, always: a kept copy is served only when the network fails, so a
// page opened online shows what the database holds now. The page says which of its
// addresses to keep (static/js/offline.js); static files are kept as fetched.
// Signing out deletes every copy (static/js/app.js).
const PREFIX = "kampungkb-offline-";
const CACHE = `${PREFIX}{{ version }}`;
const STATIC = "{% get_static_prefix %}";
const NO_SIGNAL =
  '<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
  "<p>{{ no_signal|force_escape|escapejs }}</p>";

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        // an older release's copies
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

const keepable = (response) => response.ok && response.type === "basic" && !response.redirected;

// {keep: [urls]} from a page: fetch and keep each; the reply says whether all were.
self.addEventListener("message", (event) => {
  const reply = (kept) => event.ports[0].postMessage(kept);
  event.waitUntil(keep(event.data.keep).then(() => reply(true), () => reply(false)));
});

async function keep(urls) {
  const cache = await caches.open(CACHE);
  await Promise.all(
    urls.map(async (url) => {
      const response = await fetch(url, { credentials: "same-origin", redirect: "manual" });
      if (!keepable(response)) throw new Error(`${url}: ${response.status}`);
      await cache.put(url, response);
    }),
  );
}

self.addEventListener("fetch", (event) => {
  if (event.request.method === "GET") event.respondWith(networkFirst(event.request));
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request, { ignoreVary: true });
  try {
    const response = await fetch(request);
    const isStatic = new URL(request.url).pathname.startsWith(STATIC);
    if (keepable(response) && (kept || isStatic)) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    if (kept) return kept;
    if (request.mode !== "navigate") throw error;
    // the grid of one day (?hari=…) falls back to the kept grid of every day
    const page = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
    const headers = { "Content-Type": "text/html; charset=utf-8" };
    return page || new Response(NO_SIGNAL, { status: 503, headers });
  }
}
