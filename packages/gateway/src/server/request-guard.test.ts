import { describe, expect, it } from "vitest";
import { isJsonContentType, isLoopbackHost, normalizeOrigin } from "./request-guard.js";

describe("isLoopbackHost", () => {
  it.each([
    "localhost",
    "localhost:4141",
    "LocalHost:4141",
    "localhost.",
    "localhost.:4141",
    "127.0.0.1",
    "127.0.0.1:4141",
    "127.0.0.1.",
    "127.255.10.3:80",
    "[::1]",
    "[::1]:4141",
    "[0:0:0:0:0:0:0:1]:4141",
    "[::ffff:127.0.0.1]:4141",
    "[::FFFF:7f00:1]",
    "[::ffff:127.200.0.9]",
  ])("accepts %s", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    undefined,
    "",
    "evil.example",
    "evil.example:4141",
    "localhost.evil.com",
    "localhost.evil.com:4141",
    "localhostevil.com",
    "evil.localhost",
    "127.0.0.1.evil.com",
    "127.0.0.1.nip.io:4141",
    "localhost:",
    "localhost:41a",
    "localhost:4141:4141",
    "localhost..",
    "0.0.0.0:4141",
    "10.0.0.1",
    "128.0.0.1",
    "0177.0.0.1",
    "2130706433",
    "[::2]",
    "[::]",
    "[::1",
    "[::1]x",
    "[::1]:",
    "[::ffff:7f:1]",
    "[::ffff:10.0.0.1]",
    "[::127.0.0.1]",
    "[fe80::1%25lo]",
  ])("refuses %s", (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });

  it("refuses a foreign host after a loopback one was accepted (the one-entry memo)", () => {
    expect(isLoopbackHost("127.0.0.1:4141")).toBe(true);
    expect(isLoopbackHost("evil.example:4141")).toBe(false);
    expect(isLoopbackHost("127.0.0.1:4141")).toBe(true);
  });
});

describe("isJsonContentType", () => {
  it.each([
    "application/json",
    "application/json; charset=utf-8",
    "Application/JSON;charset=UTF-8",
    " application/json ; charset=utf-8",
  ])("accepts %s", (value) => {
    expect(isJsonContentType(value)).toBe(true);
  });

  it.each([
    undefined,
    "",
    "text/plain",
    "text/plain;charset=UTF-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/jsonx",
    "application/json-patch+json",
    "text/json",
  ])("refuses %s", (value) => {
    expect(isJsonContentType(value)).toBe(false);
  });
});

describe("normalizeOrigin", () => {
  it("writes an origin the way a browser sends it", () => {
    expect(normalizeOrigin("http://localhost:5173")).toBe("http://localhost:5173");
    expect(normalizeOrigin("HTTP://LocalHost:5173/")).toBe("http://localhost:5173");
    expect(normalizeOrigin("https://app.example.com:443")).toBe("https://app.example.com");
    expect(normalizeOrigin("chrome-extension://abcdef")).toBe("chrome-extension://abcdef");
  });

  it.each(["*", "null", "localhost:5173", "http://x/path", "http://x?q", "http://u@x", "http://"])(
    "refuses %s",
    (text) => {
      expect(normalizeOrigin(text)).toBeUndefined();
    },
  );
});
