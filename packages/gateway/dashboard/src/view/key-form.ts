import { el } from "./dom.js";

/** Where the key lives: this tab's session only, gone when the tab closes. */
export const KEY_ITEM = "hedge.gatewayKey";

/**
 * The key form. The key is read once, kept in `sessionStorage` and sent only as a header;
 * it never goes into a URL, a cookie or `localStorage`.
 */
export function keyForm(onKey: (key: string) => void, message: string | undefined): HTMLElement {
  const input = el("input", {
    id: "gateway-key",
    type: "password",
    name: "key",
    autocomplete: "off",
    spellcheck: "false",
    required: "",
    "aria-describedby": "key-help",
  });
  const form = el(
    "form",
    { class: "key-form", "aria-labelledby": "key-title" },
    el("h2", { id: "key-title" }, "Gateway key"),
    el(
      "p",
      { id: "key-help", class: "muted" },
      "Paste a gateway key (hedge dashboard --new-key makes one). It stays in this tab only.",
    ),
    message ? el("p", { class: "error", role: "alert" }, message) : null,
    el("label", { for: "gateway-key" }, "Key"),
    input,
    el("button", { type: "submit" }, "Open dashboard"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (key) onKey(key);
  });
  queueMicrotask(() => input.focus());
  return form;
}
