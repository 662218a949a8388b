/** Imported first by the renderer entry: takes the access token out of the URL before any store (the hash router among them) reads the address. */
import { adoptTokenFromUrl } from './token.js';

adoptTokenFromUrl();
