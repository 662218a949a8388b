/** How a browser page presents the serve host's token: names both sides must agree on (the token itself never goes in a URL the server sees, nor in a cookie). */

/** The WebSocket subprotocol of the contract; the server answers with this one only. */
export const WS_PROTOCOL = 'trainyard.v1';
/** The token travels as a second subprotocol of the handshake: a header, never the URL (logs, history) nor a cookie. */
export const WS_TOKEN_PREFIX = 'trainyard.token.';
/** Tokens are URL-, header- and subprotocol-safe by construction; anything else is refused before comparison. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,200}$/;
/** The URL fragment that carries the token to the page (`http://127.0.0.1:7433/#token=…`): fragments are never sent to a server. */
export const TOKEN_FRAGMENT = 'token';
