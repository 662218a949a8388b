/** What the run terminal hands its search bar: the xterm instance and its search addon (a file of its own, so neither component imports the other's module for it). */
import type { SearchAddon } from '@xterm/addon-search';
import type { Terminal } from '@xterm/xterm';

export interface TerminalHandle {
  term: Terminal;
  search: SearchAddon;
}
