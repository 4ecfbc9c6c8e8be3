import type { ImageSource } from "@hedge/model-spec";

/** An image URL as a canonical source: `data:` URLs become inline base64, others stay URLs. */
export function imageSourceFromUrl(url: string): ImageSource {
  if (url.startsWith("data:")) {
    const comma = url.indexOf(",");
    const header = comma === -1 ? "" : url.slice(5, comma);
    if (header.endsWith(";base64")) {
      return { kind: "base64", media_type: header.slice(0, -7), data: url.slice(comma + 1) };
    }
  }
  return { kind: "url", url };
}

/** A canonical image as a URL (OpenAI wires take inline images as `data:` URLs). */
export function imageSourceToUrl(source: ImageSource): string {
  return source.kind === "url" ? source.url : `data:${source.media_type};base64,${source.data}`;
}
