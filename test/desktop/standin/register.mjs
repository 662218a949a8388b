/** `node --import …/register.mjs`: installs the stand-in's module hooks (hooks.mjs) before main loads. */
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
