/**
 * Percent-encoding of Alibaba Cloud signatures (RFC 3986 unreserved characters stay, everything else
 * is %XX upper-case). Written here, not imported from the SDK, so the sandbox checks the client
 * independently.
 */
export function percentEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
