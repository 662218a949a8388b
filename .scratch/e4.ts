import { setValueIn } from '../src/core/configs/editConfig.ts';
console.log(setValueIn('a: 1.0e-5 # c\nb: 1e-4\nc: 0.10\nd: "x" # q\n', 'e', 1, null));
