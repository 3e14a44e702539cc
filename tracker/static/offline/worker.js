// The tracker's service worker: served by tracker/offline/routes.py at the tracker's root (its scope is the whole
// tracker), after `self.TRACKER`: the files to keep, the page for a page never kept, where Workbox's modules are,
// and the header that marks a page the signed-in person may keep.
//
// Pages come from the network while there is one. A page the tracker marked as the person's to keep (their
// dashboard, their open records, a new reflection) is kept, replacing the copy before; with no signal that copy
// opens, and any other page opens the offline page. Only one person's pages are kept: a page marked for someone
// else empties them first, and signing out empties them (tracker/static/offline/queue.js). The tracker's own
// files, GOV.UK Frontend's and the libraries, the same for everyone, are kept when the worker installs.
importScripts(self.TRACKER.workbox);
workbox.setConfig({
  debug: false,
  modulePathCb: (name) => self.TRACKER.libraries.replace("PACKAGE", name).replace("FILE", `${name}.prod.js`),
});
const { registerRoute, setCatchHandler } = workbox.routing;
const { NetworkFirst, StaleWhileRevalidate } = workbox.strategies;

const PAGES = "tracker-pages";
const FILES = `tracker-files-${self.TRACKER.version}`;
const PERSON = "tracker-pages-person";  // whose pages PAGES holds: one entry, in a cache of its own
const root = new URL(self.registration.scope).pathname;

self.addEventListener("install", (event) => {
  const offlinePage = new Request(self.TRACKER.offlinePage, { credentials: "omit" });  // names no one
  event.waitUntil(caches.open(FILES).then((cache) => cache.addAll([...self.TRACKER.precache, offlinePage])));
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  const old = (name) => name.startsWith("tracker-files-") && name !== FILES;
  event.waitUntil(caches.keys().then((names) => Promise.all(names.filter(old).map((name) => caches.delete(name))))
    .then(() => self.clients.claim()));
});

async function makeKeptFor(person) {
  const cache = await caches.open(PERSON);
  const kept = await cache.match("person");
  if (kept && (await kept.text()) === person) return;
  await caches.delete(PAGES);  // someone else's pages
  await cache.put("person", new Response(person));
}

// One page at a time: two pages kept in quick succession must not both find no one yet, the second emptying
// what the first had just kept.
let keeping = Promise.resolve();
function keptFor(person) {
  const done = keeping.then(() => makeKeptFor(person));
  keeping = done.catch(() => {});
  return done;
}

// A page is kept only if the tracker marked it for the signed-in person.
const onlyMarkedPages = {
  cacheWillUpdate: async ({ response }) => {
    const person = response.headers.get(self.TRACKER.keepHeader);
    if (response.status !== 200 || !person) return null;
    await keptFor(person);
    return response;
  },
};

registerRoute(({ request }) => request.mode === "navigate",
  new NetworkFirst({ cacheName: PAGES, plugins: [onlyMarkedPages], networkTimeoutSeconds: 10 }));

const shared = ["static/", "govuk/", "vendor/"].map((folder) => root + folder);
registerRoute(({ url, request }) => request.method === "GET" && url.origin === self.location.origin
  && shared.some((folder) => url.pathname.startsWith(folder)), new StaleWhileRevalidate({ cacheName: FILES }));

setCatchHandler(async ({ request }) => {
  if (request.mode === "navigate") {
    return (await caches.match(self.TRACKER.offlinePage, { cacheName: FILES, ignoreVary: true })) || Response.error();
  }
  return Response.error();
});
