/** Contract of comparison and evaluation: the run table, overlaid curves, predict and spot-check evaluations, export. */

export const compareMethods = {};

export const compareTopics = {};
