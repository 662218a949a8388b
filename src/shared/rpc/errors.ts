/** The error a handler throws on purpose and the server's wire messages: no schema library here, so the renderer's bundle does not carry one. */
import { asMessage, type Message, type MessageCode } from '../messages/message.js';

/**
 * Every error the engine can answer with. Callers branch on these, never on the wording; each has a message code
 * (`error.<code>`) the renderer words in the user's language.
 */
export const ERROR_CODES = ['bad_request', 'not_found', 'conflict', 'unavailable', 'too_large', 'internal', 'unknown_method'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The catalogue entry that names each error code in the user's language (src/shared/messages/en/errors.ts). */
export const errorTitle = (code: ErrorCode): MessageCode => `error.${code}`;

export interface RpcErrorBody {
  code: ErrorCode;
  /** English, for logs, the CLI and scripts. */
  message: string;
  /** The same in the catalogue's terms, where the engine has them: the renderer shows this in the user's language. */
  said?: Message;
  details?: unknown;
}

export type ServerMessage =
  | { t: 'res'; id: number; ok: true; result: unknown }
  | { t: 'res'; id: number; ok: false; error: RpcErrorBody }
  | { t: 'evt'; sub: number; data: unknown }
  | { t: 'subend'; sub: number; error?: RpcErrorBody };

/** An error a handler throws on purpose: a Message is worded in the user's language, a string reaches them as written. */
export class RpcError extends Error {
  readonly said?: Message;
  constructor(
    readonly code: ErrorCode,
    message: string | Message,
    readonly details?: unknown,
  ) {
    super(typeof message === 'string' ? message : message.text);
    if (typeof message !== 'string') this.said = message;
    this.name = 'RpcError';
  }
}

/** A wire code from a newer or older engine that this side does not know reads as internal, not as a crash. */
export function asErrorCode(code: unknown): ErrorCode {
  return (ERROR_CODES as readonly unknown[]).includes(code) ? (code as ErrorCode) : 'internal';
}

/** The client's error for a wire body: a known code, and the engine's Message when it sent one (checked like stored ones). */
export function rpcErrorOf(body: RpcErrorBody): RpcError {
  const said = body.said ? asMessage(body.said) : null;
  return new RpcError(asErrorCode(body.code), said && said.code !== 'verbatim' ? said : body.message, body.details);
}
