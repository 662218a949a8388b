/** What remote engines say: why a box is not reachable, and what a proxied request ran into. */
export const remotes = {
  'remotes.refused': 'The engine at {url} refused the token (HTTP {status}). Copy the token its serve printed, remove the box and add it again.',
  'remotes.httpStatus': 'The engine at {url} answered HTTP {status} instead of opening the connection.',
  'remotes.down': 'Cannot reach {url}: {detail}',
  'remotes.closed': 'The connection to {url} closed ({detail}); reconnecting.',
  'remotes.noAnswer': '{url} stopped answering (no pong for {seconds} s); reconnecting.',
  'remotes.unreachable': 'Box {box} is unreachable; its runs go on there. Try again when it is back.',
  'remotes.unknownBox': 'No remote engine named {box}.',
  'remotes.fitNotReachable': '{box} is {state}',
  'remotes.state.connecting': 'connecting',
  'remotes.state.reachable': 'reachable',
  'remotes.state.unreachable': 'unreachable',
  'remotes.state.unauthorized': 'unauthorized',
  'remotes.fitBoxPlaces': '{box}: the box places it',
  'remotes.fitFree': '{box}: {free} GiB free on GPU {index}',
  'remotes.notHere': '{run} runs on box {box}: evaluations, spot-checks, exports and TensorBoard need the run\'s files, so they work only in the Trainyard of {box}.',
} as const;
