import { useRouteLoaderData } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";

/**
 * Drafts of clinical forms, kept in this browser only (localStorage), one per user, patient and form,
 * so an interrupted entry survives an idle sign-out or a failed save. They hold patient data, so:
 * - they are encrypted (AES-GCM, Web Crypto) with a key the server gives only to the signed-in user
 *   (see app/web/draft-key.server.ts): after an expiry, the browser holds ciphertext it cannot read
 *   until that same user signs in again;
 * - a successful save removes its draft, sign-out removes all drafts (with `Clear-Site-Data` from the
 *   server as a second line), and drafts older than MAX_AGE_MS are dropped unread.
 * See docs/decisions/018-drafts-in-the-browser.md.
 */
const PREFIX = "painpath:draft:";
/** The longest a session can last (the default absolute limit); a draft older than that is stale. */
const MAX_AGE_MS = 12 * 3_600_000;

export interface DraftOwner {
  userId: string;
  /** 32 random-looking bytes, base64url: the user's draft key. */
  key: string;
}

interface Envelope {
  savedAt: number;
  iv: string;
  data: string;
}

type Entries = Array<[string, string]>;

const draftName = (userId: string, patientId: string, form: string) => `${PREFIX}${userId}:${patientId}:${form}`;

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

const keys = new Map<string, Promise<CryptoKey>>();
function cryptoKey(raw: string): Promise<CryptoKey> {
  let key = keys.get(raw);
  if (!key) {
    key = crypto.subtle.importKey("raw", fromBase64(raw), "AES-GCM", false, ["encrypt", "decrypt"]);
    keys.set(raw, key);
  }
  return key;
}

/** Every field of the form as name/value pairs, in document order (files are never kept). */
function formEntries(form: HTMLFormElement): Entries {
  return [...new FormData(form).entries()].flatMap(([name, value]) =>
    typeof value === "string" ? [[name, value] as [string, string]] : [],
  );
}

/**
 * Puts saved values back and fires the events a user's typing would, so the form library and any
 * field that shows or hides others see them. Returns how many fields were set.
 */
function applyEntries(form: HTMLFormElement, entries: Entries): number {
  const byName = new Map<string, string[]>();
  for (const [name, value] of entries) byName.set(name, [...(byName.get(name) ?? []), value]);
  let applied = 0;
  for (const [name, values] of byName) {
    const elements = [...form.elements].filter(
      (element): element is HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement =>
        "name" in element && (element as HTMLInputElement).name === name,
    );
    elements.forEach((element, index) => {
      if (element instanceof HTMLInputElement && (element.type === "checkbox" || element.type === "radio")) {
        const checked = values.includes(element.value);
        if (element.checked === checked) return;
        element.checked = checked;
      } else if (element instanceof HTMLSelectElement && element.multiple) {
        for (const option of element.options) option.selected = values.includes(option.value);
      } else {
        const value = values[index];
        if (value === undefined || element.value === value || element.type === "file") return;
        element.value = value;
      }
      applied += 1;
      element.dispatchEvent(new Event("input", { bubbles: true }));
      element.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
  return applied;
}

async function writeDraft(name: string, rawKey: string, entries: Entries) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(JSON.stringify(entries));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await cryptoKey(rawKey), plain));
  const envelope: Envelope = { savedAt: Date.now(), iv: toBase64(iv), data: toBase64(sealed) };
  localStorage.setItem(name, JSON.stringify(envelope));
}

async function readDraft(name: string, rawKey: string): Promise<{ savedAt: Date; entries: Entries } | null> {
  const stored = localStorage.getItem(name);
  if (!stored) return null;
  try {
    const envelope = JSON.parse(stored) as Envelope;
    if (Date.now() - envelope.savedAt > MAX_AGE_MS) throw new Error("stale");
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64(envelope.iv) },
      await cryptoKey(rawKey),
      fromBase64(envelope.data),
    );
    return { savedAt: new Date(envelope.savedAt), entries: JSON.parse(new TextDecoder().decode(plain)) as Entries };
  } catch {
    // Stale, damaged, or sealed with a key this user no longer has: it can never be restored.
    localStorage.removeItem(name);
    return null;
  }
}

function draftNames(filter: (name: string) => boolean): string[] {
  const names: string[] = [];
  for (let index = 0; index < localStorage.length; index += 1) {
    const name = localStorage.key(index);
    if (name?.startsWith(PREFIX) && filter(name)) names.push(name);
  }
  return names;
}

/** At sign-out: no draft of anyone's stays in this browser. */
export function clearAllDrafts() {
  for (const name of draftNames(() => true)) localStorage.removeItem(name);
}

/** After a successful save: that form's draft is done with. */
export function clearDraft(userId: string, patientId: string, form: string) {
  localStorage.removeItem(draftName(userId, patientId, form));
}

/** Drops drafts past their age without reading them, whoever they belong to. */
export function dropStaleDrafts() {
  for (const name of draftNames(() => true)) {
    try {
      const envelope = JSON.parse(localStorage.getItem(name) ?? "") as Envelope;
      if (Date.now() - envelope.savedAt <= MAX_AGE_MS) continue;
    } catch {
      // Unreadable: dropped below.
    }
    localStorage.removeItem(name);
  }
}

export function useDraftOwner(): DraftOwner | null {
  const root = useRouteLoaderData<{ draftOwner: DraftOwner | null }>("root");
  return root?.draftOwner ?? null;
}

/**
 * Keeps a draft of the form with this id while it is typed, and restores it when the form opens
 * again (unless `restore` is false: the server just echoed the submitted values back).
 */
export function useFormDraft({ formId, patientId, restore }: { formId: string; patientId: string; restore: boolean }) {
  const owner = useDraftOwner();
  const [restoredAt, setRestoredAt] = useState<Date | null>(null);
  const writes = useRef<Promise<void>>(Promise.resolve());
  const userId = owner?.userId;
  const rawKey = owner?.key;

  useEffect(() => {
    const form = document.getElementById(formId);
    if (!(form instanceof HTMLFormElement) || !userId || !rawKey) return;
    const name = draftName(userId, patientId, formId);
    let cancelled = false;
    if (restore) {
      void readDraft(name, rawKey).then((draft) => {
        if (cancelled || !draft) return;
        // Twice: the first pass may reveal fields (a therapy's kind shows its own fields).
        const applied = applyEntries(form, draft.entries);
        requestAnimationFrame(() => {
          if (cancelled) return;
          if (applied + applyEntries(form, draft.entries) > 0) setRestoredAt(draft.savedAt);
        });
      });
    }
    const save = (event: Event) => {
      if (!event.isTrusted) return;
      const entries = formEntries(form);
      writes.current = writes.current.then(() => writeDraft(name, rawKey, entries)).catch(() => undefined);
    };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    return () => {
      cancelled = true;
      form.removeEventListener("input", save);
      form.removeEventListener("change", save);
    };
  }, [formId, patientId, restore, userId, rawKey]);

  const discard = useCallback(() => {
    if (userId) clearDraft(userId, patientId, formId);
    setRestoredAt(null);
    const form = document.getElementById(formId);
    if (form instanceof HTMLFormElement) form.reset();
  }, [formId, patientId, userId]);

  return { restoredAt, discard };
}

/** Tells the user a draft was put back, and lets them start over. */
export function DraftNotice({ restoredAt, onDiscard }: { restoredAt: Date | null; onDiscard: () => void }) {
  if (!restoredAt) return null;
  const time = restoredAt.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  return (
    <div
      role="status"
      className="flex flex-wrap items-center gap-3 rounded border border-blue-300 bg-blue-50 p-3 text-sm"
    >
      <span>Your unsaved entry from {time} was restored. Check it, then save.</span>
      <button type="button" onClick={onDiscard} className="rounded border border-blue-800 px-2 py-1 text-blue-900">
        Discard draft
      </button>
    </div>
  );
}

/** One line in a clinical form: keeps its draft and says when one was restored. */
export function FormDraft(props: { formId: string; patientId: string; restore: boolean }) {
  const { restoredAt, discard } = useFormDraft(props);
  return <DraftNotice restoredAt={restoredAt} onDiscard={discard} />;
}
