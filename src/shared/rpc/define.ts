/** Helpers that declare contract methods and topics: a zod schema for what comes in, a type for what goes out. */
import type { z } from 'zod';

export interface MethodDef<P extends z.ZodType, R> {
  params: P;
  /** Phantom: carries the result type, never read at runtime. */
  result?: R;
}

export interface TopicDef<P extends z.ZodType, D> {
  params: P;
  /** Phantom: carries the event payload type. */
  data?: D;
}

export const method =
  <R>() =>
  <P extends z.ZodType>(params: P): MethodDef<P, R> => ({ params });

export const topic =
  <D>() =>
  <P extends z.ZodType>(params: P): TopicDef<P, D> => ({ params });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMethods = Record<string, MethodDef<any, any>>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTopics = Record<string, TopicDef<any, any>>;

export type ParamsOf<D> = D extends MethodDef<infer P, unknown> | TopicDef<infer P, unknown> ? z.input<P> : never;
export type ParsedParamsOf<D> = D extends MethodDef<infer P, unknown> | TopicDef<infer P, unknown> ? z.output<P> : never;
export type ResultOf<D> = D extends MethodDef<z.ZodType, infer R> ? R : never;
export type DataOf<D> = D extends TopicDef<z.ZodType, infer T> ? T : never;
