/** What each engine error code is called (src/shared/rpc/errors.ts ErrorCode): the title the renderer puts before the details. */
export const errors = {
  'error.bad_request': 'Not accepted',
  'error.not_found': 'Not found',
  'error.conflict': 'Not possible right now',
  'error.unavailable': 'Not available',
  'error.too_large': 'Too large',
  'error.internal': 'The engine hit an internal error',
  'error.unknown_method': 'This engine does not know that request (is it an older version?)',
} as const;
