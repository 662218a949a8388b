/** The shape of one numbered schema step: db.ts applies them in order, each file under migrations/ declares one. */
export interface Migration {
  version: number;
  name: string;
  up: string;
}
