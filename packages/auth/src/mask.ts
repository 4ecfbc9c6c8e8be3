/**
 * A secret shown as its conventional prefix and at most its last 4 characters (`sk-…abcd`);
 * short secrets show nothing of themselves.
 */
export function maskSecret(secret: string): string {
  if (secret.length < 12) return "…";
  const dash = secret.indexOf("-");
  const prefix = dash > 0 && dash <= 3 ? secret.slice(0, dash + 1) : "";
  const tail = secret.length >= 20 ? secret.slice(-4) : secret.slice(-2);
  return `${prefix}…${tail}`;
}

/** Query parameters whose value is a credential: `?key=` (Google), `access_token`, `sig`… */
const SECRET_PARAM = /key|token|secret|passw|pwd|auth|sig|credential/i;

/** A URL with a scheme, as it appears in running text or JSON (ends at space or quote). */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`\p{Cc}]+/giu;

/**
 * `text` with the credentials of every URL in it masked: the user-info part (`user:pass@`
 * becomes `***@`) and the values of secret-looking query parameters (`?key=***`). Everything
 * else (scheme, host, path, other parameters) is kept so the URL still says where it points.
 */
export function maskUrlCredentials(text: string): string {
  return text.replace(URL_IN_TEXT, maskUrl);
}

function maskUrl(url: string): string {
  const authorityStart = url.indexOf("://") + 3;
  const rest = url.slice(authorityStart);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  let tail = authorityEnd < 0 ? "" : rest.slice(authorityEnd);
  // The host follows the last `@`: a password may itself hold an unescaped `@`.
  const at = authority.lastIndexOf("@");
  const host = at < 0 ? authority : `***@${authority.slice(at + 1)}`;
  const query = tail.indexOf("?");
  if (query >= 0) {
    const hash = tail.indexOf("#", query);
    const end = hash < 0 ? tail.length : hash;
    const params = tail
      .slice(query + 1, end)
      .split("&")
      .map((pair) => {
        const equals = pair.indexOf("=");
        if (equals < 0) return pair;
        let name = pair.slice(0, equals);
        try {
          name = decodeURIComponent(name);
        } catch {
          // An undecodable name is matched as written.
        }
        return SECRET_PARAM.test(name) ? `${pair.slice(0, equals)}=***` : pair;
      });
    tail = `${tail.slice(0, query + 1)}${params.join("&")}${tail.slice(end)}`;
  }
  return `${url.slice(0, authorityStart)}${host}${tail}`;
}

/**
 * One URL (a Redis store, say) fit for messages: only its password is replaced,
 * `redis://:secret@h:1` -> `redis://:***@h:1`, so the user name and host still show.
 */
export function redactUrlPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString().replace(/\/$/, "");
  } catch {
    // Not a URL we can parse: drop anything between "//" and "@", where credentials would be.
    return url.replace(/\/\/[^@/]*@/, "//***@");
  }
}
