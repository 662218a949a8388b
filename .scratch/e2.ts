import { parseEditable, setValueIn } from '/work/main/src/core/configs/editConfig.ts';
import { Scalar } from 'yaml';
const d = parseEditable('a: 1.0e-5 # c\nb: 7\n');
const s = new Scalar(2e-5); s.format = 'DOTFLOAT';
d.set('a', s);
const s2 = new Scalar(2e-5); s2.format = 'DOTFLOAT';
d.set('c', s2);
console.log(d.toString(), (d.get('a', true) as Scalar).format);
