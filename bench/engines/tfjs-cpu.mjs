// TensorFlow.js 4.22 on its pure-JavaScript cpu backend.
import { makeTfjsEngine } from './tfjs_common.mjs';

export default makeTfjsEngine({ name: 'tfjs-cpu', backend: 'cpu' });
