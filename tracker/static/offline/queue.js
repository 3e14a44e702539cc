// Saving offline, the page's side (the server's: tracker/offline/). With no signal, a form marked
// data-offline-send (the record page, a new reflection) is kept on this device instead of sent: encrypted in
// IndexedDB (idb) with a key the browser will not give out (WebCrypto, not extractable). What is kept is sent in
// order when a page opens, when the phone is back online, and from the "Send now" button (iPhones have no
// background sync), each with a key of its own so that sending it twice saves it once. Every word shown comes
// from the page (#offline-words), in its language.
import { openDB } from "../../vendor/idb/index.js";

const body = document.body;
const words = JSON.parse(document.getElementById("offline-words")?.textContent || "null");
const person = body.dataset.offlinePerson || "";
const signedIn = body.dataset.signedIn === "yes";
const DAY = 24 * 60 * 60 * 1000;
const SENT_SHOWN_FOR = DAY;

// ---- storage ----------------------------------------------------------------------------------------------------
let database;
function db() {
  database ??= openDB("tracker-offline", 1, {
    upgrade(store) {
      store.createObjectStore("drafts", { keyPath: "id", autoIncrement: true });
      store.createObjectStore("meta");
    },
    terminated() { database = undefined; },  // iOS drops the connection at times: open it again next time
  });
  return database;
}

// One key per device, made once: two saves at once must not each make one (what the first sealed would be lost).
let theKey;
function cryptoKey() {
  theKey ??= (async () => {
    const kept = await (await db()).get("meta", "key");
    if (kept) return kept;
    const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
    await (await db()).put("meta", key, "key");
    return key;
  })();
  return theKey;
}

async function seal(value) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const bytes = value instanceof ArrayBuffer ? value : new TextEncoder().encode(JSON.stringify(value));
  return { iv, data: await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await cryptoKey(), bytes) };
}

async function unseal(sealed, raw = false) {
  const bytes = await crypto.subtle.decrypt({ name: "AES-GCM", iv: sealed.iv }, await cryptoKey(), sealed.data);
  return raw ? bytes : JSON.parse(new TextDecoder().decode(bytes));
}

async function drafts() {
  return (await (await db()).getAll("drafts")).filter((item) => item.person === person || !signedIn);
}

async function wipe() {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith("tracker-pages")).map((name) => caches.delete(name)));
  const store = await db();
  await store.clear("drafts");
  await store.clear("meta");
  theKey = undefined;
}

const unsent = (items) => items.filter((item) => item.status !== "sent");

// ---- saving with no signal --------------------------------------------------------------------------------------
function newKey() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

// What the form holds that is worth keeping: the notes only if changed from the page's, evidence only if typed.
function typedIn(form, submitter) {
  const fields = [];
  let file = null;
  for (const [name, value] of new FormData(form, submitter)) {
    if (name === "csrf_token") continue;  // a fresh token is fetched for each send
    if (value instanceof File) {
      if (value.size || value.name) file = value;
      continue;
    }
    const field = form.elements[name];
    if (name === "notes" && field && value === field.defaultValue) continue;
    if (form.dataset.offlineKind === "record" && name !== "notes" && !value.trim()) continue;
    fields.push([name, value]);
  }
  return { fields, file };
}

function labelOf(form, fields, file) {
  const kinds = [];
  const has = (name) => fields.some(([field]) => field === name);
  if (form.dataset.offlineKind === "reflection") return format(words.reflection, { title: form.elements.title?.value || "" });
  if (has("notes")) kinds.push(words.notes);
  if (has("body")) kinds.push(words.text);
  if (file) kinds.push(format(words.file, { name: file.name }));
  if (has("witness_name") || has("statement")) kinds.push(words.witness);
  return `${form.dataset.offlineLabel}: ${kinds.join(", ")}`;
}

// A reflection is checked in full when it is sent; what cannot be sent at all is not kept.
const REFLECTION_NEEDS = ["entry_date", "title", "what", "so_what", "now_what"];

async function keep(form, submitter) {
  const { fields, file } = typedIn(form, submitter);
  if (!file && !fields.length) {
    say(words.nothing);
    return;
  }
  const filled = (name) => fields.some(([field, value]) => field === name && value.trim());
  if (form.dataset.offlineKind === "reflection" && !REFLECTION_NEEDS.every(filled)) {
    say(words.incomplete);
    panel.hidden = false;
    panel.querySelector(".tracker-offline__message").focus();
    return;
  }
  const item = {
    key: newKey(), person, kind: form.dataset.offlineKind, url: form.dataset.offlineSend, page: location.pathname,
    base: form.dataset.offlineBase || "", savedAt: Date.now(), status: "waiting",
    sealedLabel: await seal(labelOf(form, fields, file)),  // a reflection's title is the person's own words
    sealed: await seal({ fields, file: file && { name: file.name, type: file.type } }),
    sealedFile: file ? await seal(await file.arrayBuffer()) : null,
  };
  await (await db()).add("drafts", item);
  for (const name of ["body", "description", "upload", "witness_name", "witness_role", "statement"]) {
    if (form.elements[name]) form.elements[name].value = "";  // kept: not to be saved twice
  }
  const notes = form.elements.notes;
  if (notes) notes.defaultValue = notes.value;  // the notes as kept: sent again only if changed again
  if (form.dataset.offlineKind === "reflection") form.reset();
  say(words.kept);
  await show();
  const message = panel.querySelector(".tracker-offline__message");  // as a page sent would: the news at the top
  message.focus();
  message.scrollIntoView();
}

for (const form of document.querySelectorAll("form[data-offline-send]")) {
  form.addEventListener("submit", (event) => {
    if (navigator.onLine || !person) return;  // online: the form is sent as usual
    event.preventDefault();
    keep(form, event.submitter).catch((error) => say(`${words.notKept} (${error.name})`));
  });
}

// ---- sending ----------------------------------------------------------------------------------------------------
async function freshToken() {
  const response = await fetch(body.dataset.offlineToken, { credentials: "same-origin", redirect: "manual", cache: "no-store" });
  if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) return { signIn: true };
  if (!response.ok) throw new Error(`token ${response.status}`);
  return response.json();
}

async function formFor(item) {
  const { fields, file } = await unseal(item.sealed);
  const data = new FormData();
  for (const [name, value] of fields) data.append(name, value);
  if (file) data.append("upload", new File([await unseal(item.sealedFile, true)], file.name, { type: file.type }));
  for (const name of ["key", "person", "base", "choice"]) if (item[name]) data.append(name, item[name]);
  if (item.confirmed) data.set("confirmed", "yes");
  return data;
}

async function update(item, changes) {
  Object.assign(item, changes);
  await (await db()).put("drafts", item);
}

async function sendOne(item, token) {
  let response;
  try {
    response = await fetch(item.url, { method: "POST", body: await formFor(item), credentials: "same-origin",
      redirect: "manual", headers: { "X-CSRFToken": token } });
  } catch {
    return "stop";  // no connection after all: try again later
  }
  if (response.type === "opaqueredirect") return "signIn";
  if (response.status === 503) return "stop";  // the tracker is busy or not ready: try again later
  const answer = response.headers.get("content-type")?.includes("json") ? await response.json() : {};
  if (answer.status === "saved" || answer.status === "duplicate") {
    await update(item, { status: "sent", sentAt: Date.now(), sealed: null, sealedFile: null, server: null });
    if (answer.fingerprint) await rebase(item, answer.fingerprint);
  } else if (answer.status === "conflict") {
    const server = await seal({ notes: answer.notes, state: answer.state_label });
    await update(item, { status: "conflict", locked: answer.locked, fingerprint: answer.fingerprint, server });
  } else if (answer.status === "check") {  // the reason quotes the text: sealed like it
    await update(item, { status: "check", server: await seal({ reason: answer.reason }) });
  } else {
    await update(item, { status: "failed", reason: answer.reason || format(words.error, { code: response.status }) });
  }
  return "next";
}

// Later drafts of the same page were saved from the page as it was before this one: they follow it.
async function rebase(sent, fingerprint) {
  for (const item of await drafts()) {
    if (item.status === "waiting" && item.page === sent.page && item.base === sent.base && item.id > sent.id) {
      await update(item, { base: fingerprint });
    }
  }
}

let sending = false;
async function send() {
  if (sending || !navigator.onLine || !person) return;
  const waiting = (await drafts()).filter((item) => item.status === "waiting");
  if (!waiting.length) return;
  sending = true;
  say(words.sending);
  try {
    await navigator.locks.request("tracker-offline-send", async () => {  // one tab sends at a time
      const token = await freshToken();
      if (token.signIn || token.person !== person) {
        say(words.signIn);
        return;
      }
      for (const item of waiting.sort((a, b) => a.id - b.id)) {
        const fresh = await (await db()).get("drafts", item.id);  // another tab may have sent it
        if (!fresh || fresh.status !== "waiting") continue;
        const next = await sendOne(fresh, token.token);
        if (next === "signIn") { say(words.signIn); return; }
        if (next === "stop") { say(words.noConnection); return; }
      }
      say("");
    });
  } catch (error) {
    say(`${words.noConnection} (${error.message})`);
  } finally {
    sending = false;
    await show();
  }
}

// ---- what the page shows ----------------------------------------------------------------------------------------
function format(text, values) {
  return text.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? "");
}

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

function button(text, secondary, action) {
  const el = element("button", `govuk-button${secondary ? " govuk-button--secondary" : ""}`, text);
  el.type = "button";
  el.addEventListener("click", action);
  return el;
}

const panel = document.getElementById("offline-status");
function say(text) {
  const line = panel?.querySelector(".tracker-offline__message");
  if (line) line.textContent = text;
}

// As the tracker writes dates and times (tracker/dates.py), in the page's language: "7 December 2026 at 19:34".
function when(time) {
  const day = new Date(time);
  const clock = `${String(day.getHours()).padStart(2, "0")}:${String(day.getMinutes()).padStart(2, "0")}`;
  return format(words.at, { date: `${day.getDate()} ${words.months[day.getMonth()]} ${day.getFullYear()}`, time: clock });
}

async function conflictView(item) {
  const box = element("div", "tracker-offline__conflict");
  const { fields } = await unseal(item.sealed);
  const server = await unseal(item.server);
  const notes = fields.find(([name]) => name === "notes");
  box.append(element("p", "govuk-body govuk-!-font-weight-bold", item.locked ? format(words.cannotChange, { state: server.state })
    : words.changed));
  const row = element("div", "govuk-grid-row");
  const mine = element("div", "govuk-grid-column-one-half");
  mine.append(element("h3", "govuk-heading-s", format(words.yourDraft, { when: when(item.savedAt) })),
    element("p", "govuk-body tracker-prewrap", fields.map(([, value]) => value).join("\n\n")));
  const theirs = element("div", "govuk-grid-column-one-half");
  theirs.append(element("h3", "govuk-heading-s", format(words.onTracker, { state: server.state })),
    element("p", "govuk-body tracker-prewrap", server.notes || words.noNotes));
  row.append(mine, theirs);
  box.append(row);
  const buttons = element("div", "govuk-button-group");
  if (!item.locked) {
    const choose = (choice) => async () => {
      await update(item, { status: "waiting", choice, base: item.fingerprint, server: null });
      await send();
    };
    buttons.append(button(notes ? words.add : words.addEvidence, false, choose("add")));
    if (notes) buttons.append(button(words.replace, true, choose("replace")));
  }
  buttons.append(button(words.discard, true, async () => { await (await db()).delete("drafts", item.id); await show(); }));
  box.append(buttons);
  return box;
}

async function checkView(item) {
  const box = element("div", "tracker-offline__conflict");
  box.append(element("p", "govuk-body", format(words.check, { reason: (await unseal(item.server)).reason })));
  const buttons = element("div", "govuk-button-group");
  buttons.append(button(words.sendAnyway, false, async () => {
    await update(item, { status: "waiting", confirmed: true, server: null });
    await send();
  }), button(words.discard, true, async () => { await (await db()).delete("drafts", item.id); await show(); }));
  box.append(buttons);
  return box;
}

async function itemView(item) {
  const li = element("li", "tracker-offline__item");
  li.dataset.status = item.status;
  li.append(element("strong", `govuk-tag govuk-tag--${{ waiting: "yellow", sent: "green" }[item.status] || "red"}`,
    words.status[item.status]), " ", element("span", "", await unseal(item.sealedLabel)));
  const detail = element("span", "govuk-body-s tracker-offline__when",
    format(item.status === "sent" ? words.sentAt : words.savedAt, { when: when(item.sentAt || item.savedAt) }));
  li.append(element("br"), detail);
  if (item.status !== "sent" && Date.now() - item.savedAt >= Number(body.dataset.offlineDays) * DAY) {
    li.append(element("br"), element("strong", "govuk-body-s tracker-offline__old", format(words.old, { days: body.dataset.offlineDays })));
  }
  if (item.status === "failed") li.append(element("br"), element("span", "govuk-body-s", item.reason));
  if (item.status === "failed") {
    const buttons = element("div", "govuk-button-group");
    buttons.append(button(words.tryAgain, true, async () => { await update(item, { status: "waiting" }); await send(); }),
      button(words.discard, true, async () => { await (await db()).delete("drafts", item.id); await show(); }));
    li.append(buttons);
  }
  if (item.status === "conflict") li.append(await conflictView(item));
  if (item.status === "check") li.append(await checkView(item));
  return li;
}

async function show() {
  if (!panel || !words) return;
  const store = await db();
  for (const item of await drafts()) {  // what was sent is shown for a day, then forgotten
    if (item.status === "sent" && Date.now() - item.sentAt > SENT_SHOWN_FOR) await store.delete("drafts", item.id);
  }
  const items = await drafts();
  const offline = !navigator.onLine;
  panel.querySelector(".tracker-offline__banner").hidden = !offline;
  const list = panel.querySelector(".tracker-offline__items");
  list.replaceChildren(...(await Promise.all(items.map(itemView))));
  const waiting = items.filter((item) => item.status === "waiting").length;
  const counts = [
    [words.waiting, waiting], [words.sent, items.filter((item) => item.status === "sent").length],
    [words.needsYou, items.filter((item) => ["failed", "conflict", "check"].includes(item.status)).length],
  ].filter(([, count]) => count);
  panel.querySelector(".tracker-offline__counts").replaceChildren(
    ...counts.map(([text, count]) => element("li", "", format(text, { count }))));
  panel.querySelector(".tracker-offline__send").hidden = !waiting || offline;
  panel.querySelector(".tracker-offline__summary").hidden = !items.length;
  panel.hidden = !offline && !items.length;
  fillNotes(items);
}

// On a record page opened with no signal, the notes box shows the latest notes kept for it, so that saving again
// keeps them (each save sends all the notes).
let filled = false;
async function fillNotes(items) {
  const form = document.querySelector("form[data-offline-kind=record]");
  const box = form?.elements.notes;
  if (!box || filled) return;
  const mine = items.filter((item) => item.page === location.pathname && item.status !== "sent");
  for (const item of mine.reverse()) {
    const notes = (await unseal(item.sealed)).fields.find(([name]) => name === "notes");
    if (notes) {
      box.defaultValue = box.value = notes[1];
      filled = true;
      return;
    }
  }
}

// ---- people: signing out, and someone else signing in -----------------------------------------------------------
async function signOutFrom(form, event) {
  event.preventDefault();
  const left = unsent(await drafts()).length;
  if (!left || !panel) {
    await wipe();
    form.submit();
    return;
  }
  panel.hidden = false;
  const warning = panel.querySelector(".tracker-offline__sign-out");
  warning.querySelector("p").textContent = format(words.signOutWarning, { count: left });
  warning.hidden = false;
  warning.querySelector("[data-go]").onclick = async () => { await wipe(); form.submit(); };
  warning.querySelector("[data-stay]").onclick = () => { warning.hidden = true; };
  warning.querySelector("[data-go]").focus();
}

async function start() {
  if (!("indexedDB" in window) || !window.crypto?.subtle) return;
  const store = await db();
  const before = await store.get("meta", "person");
  if (signedIn && before && before !== person) await wipe();  // someone else is signed in: nothing of theirs stays
  if (signedIn && person) await store.put("meta", person, "person");
  if (!signedIn) {
    const left = unsent(await store.getAll("drafts")).length;
    const warning = document.getElementById("offline-someone-else");
    if (warning && left) {
      warning.querySelector("p").textContent = format(words.someoneElse, { count: left });
      warning.hidden = false;
    }
    return;
  }
  for (const form of document.querySelectorAll("form[data-offline-sign-out]")) {
    form.addEventListener("submit", (event) => signOutFrom(form, event));
  }
  if (!person) return;
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(body.dataset.offlineWorker, { scope: body.dataset.offlineScope })
      .catch((error) => console.warn("offline: the service worker did not start", error));
  }
  panel?.querySelector(".tracker-offline__send button").addEventListener("click", () => send());
  window.addEventListener("online", () => { show(); send(); });
  window.addEventListener("offline", () => show());
  await show();
  await send();
}

start().catch((error) => console.warn("offline:", error));
