/** A refused key: the page forgets it and asks again. */
export class Unauthorized extends Error {}

/** The dashboard API with the key in a header (never in the URL). */
export class Api {
  constructor(private readonly key: string) {}

  headers(): Record<string, string> {
    return { authorization: `Bearer ${this.key}` };
  }

  async get<T>(path: string): Promise<T> {
    return this.call<T>("GET", path);
  }

  async post<T>(path: string): Promise<T> {
    return this.call<T>("POST", path);
  }

  private async call<T>(method: string, path: string): Promise<T> {
    const response = await fetch(`/dashboard/api${path}`, {
      method,
      headers: this.headers(),
      cache: "no-store",
    });
    if (response.status === 401) throw new Unauthorized("the gateway refused this key");
    const body = (await response.json().catch(() => ({}))) as T & { error?: { message?: string } };
    if (!response.ok) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
    return body;
  }
}
