import { binding } from '@sandmeter/native';

const buf = binding.create('/sandmeter-native-example', 4);
const [slot, generation] = binding.reserve(buf, 1, new TextEncoder().encode('example'), 0);
binding.activate(buf, slot, generation, 1, process.pid, Date.now());
binding.writeSample(buf, slot, generation, new Float64Array([Date.now(), 1, 50, 1e9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
console.log(binding.readSlot(buf, slot, true));
binding.close(buf);
binding.unlink('/sandmeter-native-example');
