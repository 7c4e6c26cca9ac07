// The .webnn text form and the JSON form: parsing, printing (print → parse is the identity), conversion between
// them, and errors that say where and what was expected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GraphFileError, graphFromJson, parseWebnn, printWebnn, toGraphJson } from '../../src/index.js';
import { parseGraphJsonText, parseJson, printGraphJson } from '../../src/format/json.js';
import { orderNodes } from '../../src/format/graph-file.js';
import { operatorNames, signatureOf } from '../../src/format/signatures.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

const ISSUE_EXAMPLE = `webnn_graph "mlp" v1 {
  inputs { x: f32[1, dyn("seq", 128), 64]; }
  consts {
    w: f32[64, 64] @weights("w");
    b: f32[64] @scalar(0.5);
    k: i32[2] @bytes([1, 0, 0, 0, 2, 0, 0, 0]);
  }
  nodes {
    h = matmul(x, w);
    y = add(h, b, label="bias");     # options as key=value; arrays [..]; objects {..}
    [p, q] = split(y, 2, axis=2);
  }
  outputs { p; q; }
}`;

/** Asserts `fn` throws a GraphFileError at line:column whose message matches. */
function failsAt(fn: () => unknown, line: number, column: number, message: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof GraphFileError, `expected a GraphFileError, got ${String(err)}`);
    assert.deepEqual(err.pos, { line, column }, `position of: ${err.message}`);
    assert.match(err.message, message);
    assert.ok(err.message.startsWith(`${line}:${column}: `), err.message);
    return true;
  });
}

test('the issue example parses into the JSON model', () => {
  const g = parseWebnn(ISSUE_EXAMPLE);
  assert.equal(g.name, 'mlp');
  assert.equal(g.version, 1);
  assert.deepEqual(g.inputs, { x: { dataType: 'float32', shape: [1, { name: 'seq', maxSize: 128 }, 64] } });
  assert.deepEqual(g.consts.w, { dataType: 'float32', shape: [64, 64], init: { kind: 'weights', ref: 'w' } });
  assert.deepEqual(g.consts.b!.init, { kind: 'scalar', value: 0.5 });
  assert.deepEqual(g.consts.k!.init, { kind: 'inlineBytes', bytes: [1, 0, 0, 0, 2, 0, 0, 0] });
  assert.deepEqual(g.nodes, [
    { id: 'h', op: 'matmul', inputs: ['x', 'w'], options: {} },
    { id: 'y', op: 'add', inputs: ['h', 'b'], options: { label: 'bias' } },
    // split's positional `splits` is carried by name, as in the JSON form
    { id: 'p', op: 'split', inputs: ['y'], options: { splits: 2, axis: 2 }, outputs: ['p', 'q'] },
  ]);
  assert.deepEqual(g.outputs, { p: 'p', q: 'q' });
  const json = toGraphJson(g);
  assert.equal(json.format, 'webnn-graph-json');
  assert.deepEqual((json.nodes as unknown[])[2], { id: 'p', op: 'split', inputs: ['y'], options: { splits: 2, axis: 2 }, outputs: ['p', 'q'] });
});

test('print → parse is the identity, and text → JSON → text gives the same text', () => {
  const sources = [ISSUE_EXAMPLE, readFileSync(`${examples}mlp.webnn`, 'utf8'), readFileSync(`${examples}shapes.webnn`, 'utf8'), `
    webnn_graph "odd/names.v2" v2 @quantized {
      inputs { in/x.0: f16[dyn("b", 4), 3]; $y: i64[]; }
      consts { big: i64[1] @scalar(9007199254740993); neg: f32[] @scalar(-0); e: f32[2] @scalar(1e-7); }
      nodes {
        c = concat(in/x.0, in/x.0, axis=0);   # a sequence of operands written out
        l = clamp(c, minValue=-Infinity, maxValue=6.5, label="a \\"quoted\\" label");
        o = conv2d(l, l, padding=[0, 0, 0, 0], bias=e, extra={mode: "x", list: [1, [2, 3]], flag: null}, nan=NaN);
      }
      outputs { o; renamed = c; }
    }`];
  for (const src of sources) {
    const g = parseWebnn(src);
    const text = printWebnn(g);
    assert.deepEqual(parseWebnn(text), g);
    assert.equal(printWebnn(parseWebnn(text)), text);
    const viaJson = graphFromJson(parseJson(printGraphJson(g)));
    assert.deepEqual(viaJson, g);
    assert.equal(printWebnn(viaJson), text);
    assert.equal(printGraphJson(parseGraphJsonText(printGraphJson(g))), printGraphJson(g));
  }
  const g = parseWebnn(sources[3]!);
  assert.equal(g.consts.big!.init.kind === 'scalar' && g.consts.big!.init.value, 9007199254740993n);
  assert.ok(Object.is(g.consts.neg!.init.kind === 'scalar' && g.consts.neg!.init.value, -0));
  assert.deepEqual(g.nodes[0]!.inputs, ['in/x.0', 'in/x.0']);
  assert.equal(g.nodes[1]!.options.minValue, -Infinity);
  assert.equal(g.nodes[1]!.options.label, 'a "quoted" label');
  assert.deepEqual(g.nodes[2]!.options.extra, { mode: 'x', list: [1, [2, 3]], flag: null });
  assert.deepEqual(g.outputs, { o: 'o', renamed: 'c' });
  assert.equal(g.quantized, true);
});

test('the signature table covers every WebNN operator', () => {
  assert.equal(operatorNames().length, 95);
  assert.deepEqual(signatureOf('slice')!.params.map((p) => `${p.kind}:${p.name}`), ['operand:input', 'value:starts', 'value:sizes']);
  assert.deepEqual(signatureOf('gemm')!.operandOptions, ['c']);
  assert.deepEqual(signatureOf('lstm')!.params.map((p) => p.name), ['input', 'weight', 'recurrentWeight', 'steps', 'hiddenSize']);
  // positional literals land under the spec's parameter names
  const g = parseWebnn('webnn_graph "t" v1 { inputs { x: f32[4]; } nodes { y = pad(x, [1], [2], mode="edge"); s = slice(x, [0], [2]); c = cast(x, "int32"); } outputs { y; s; c; } }');
  assert.deepEqual(g.nodes.map((n) => n.options), [
    { beginningPadding: [1], endingPadding: [2], mode: 'edge' },
    { starts: [0], sizes: [2] },
    { dataType: 'int32' },
  ]);
});

test('syntax errors carry line:column and say what was expected', () => {
  const lines = (...l: string[]) => l.join('\n');
  failsAt(() => parseWebnn(lines('webnn_graph "g" v1 {', '  nodes {', '    y = frobnicate(x);', '  }', '}')), 3, 9, /unknown operator 'frobnicate': expected a WebNN operator name/);
  failsAt(() => parseWebnn(lines('webnn_graph "g" v1 {', '  inputs { x: f32[2]; }', '  nodes {', '    y = relu(x);')), 4, 17, /unterminated nodes block: expected '}' to close the block opened at 3:9/);
  failsAt(() => parseWebnn(lines('webnn_graph "g" v1 {', '  inputs { x: f32[2] }')), 2, 22, /expected ';' after the input's type, found '}'/);
  failsAt(() => parseWebnn(lines('webnn_graph "g" v1 {', '  inputs { x: f64[2]; }', '}')), 2, 15, /unknown data type 'f64': expected one of f32, f16/);
  failsAt(() => parseWebnn(lines('webnn_graph "g" v1 {', '  consts { w: f32[2] @bytes([1, 300]); }', '}')), 2, 33, /byte 300 is out of range/);
  failsAt(() => parseWebnn(lines('webnn_graph "g" v1 {', '  inputs { x: f32[2]; }', '  nodes { y = relu(x, 3); }', '}')), 3, 23, /too many positional arguments to relu/);
  failsAt(() => parseWebnn('webnn_graph "g" v1 {\n  nodes { y = add(a, "b"); }\n}'), 2, 22, /expected add's operand 'b' as a name, found "b"/);
  failsAt(() => parseWebnn('webnn_graph "g" v1 {\n  inputs { x: f32[2]; }\n  outputs { x; }\n}\nextra'), 5, 1, /expected the end of the file after the graph, found 'extra'/);
  failsAt(() => parseWebnn('webnn_graph "g" v3 { }'), 1, 17, /unsupported version v3: expected v1 or v2/);
  failsAt(() => parseWebnn('webnn_graph "g\n" v1 { }'), 1, 13, /unterminated string/);
  failsAt(() => parseWebnn('webnn_graph "g" v1 {\n  inputs { x: f32[2]; x: f32[3]; }\n}'), 2, 23, /'x' is already declared/);
  failsAt(() => parseWebnn('webnn_graph "g" v1 {\n  consts { w: f32[dyn("n", 4)] @scalar(1); }\n}'), 2, 15, /constant 'w' has a dynamic dimension: expected a static shape/);
  failsAt(() => parseWebnn('webnn_graph "g" v1 {\n  inputs { x: f32[2]; }\n'), 3, 1, /unterminated graph: expected '}' to close the graph opened at 1:20/);
  failsAt(() => parseWebnn('webnn_graph "g" v1 { nodes { y = relu(input=x); } }'), 1, 39, /relu's operand 'input' must be positional/);
});

test('name errors: undefined names, cycles and duplicates are found with their location', () => {
  const g1 = parseWebnn('webnn_graph "g" v1 {\n  inputs { x: f32[2]; }\n  nodes {\n    y = relu(x);\n    z = add(y, w);\n  }\n  outputs { z; }\n}');
  failsAt(() => orderNodes(g1), 5, 5, /'w' is not defined: expected the name of an input, a constant or a node's output/);
  const g2 = parseWebnn('webnn_graph "g" v1 {\n  inputs { x: f32[2]; }\n  nodes {\n    a = add(x, c);\n    b = relu(a);\n    c = relu(b);\n  }\n  outputs { c; }\n}');
  failsAt(() => orderNodes(g2), 4, 5, /cycle: 'a' → 'c' → 'b' → 'a'/);
  const g3 = parseWebnn('webnn_graph "g" v1 {\n  inputs { x: f32[2]; }\n  nodes {\n    a = relu(x);\n    a = relu(x);\n  }\n  outputs { a; }\n}');
  failsAt(() => orderNodes(g3), 5, 5, /'a' is already defined at 4:5/);
  const g4 = parseWebnn('webnn_graph "g" v1 {\n  inputs { x: f32[2]; }\n  nodes { a = relu(x); }\n  outputs { a; nope; }\n}');
  failsAt(() => orderNodes(g4), 4, 16, /output 'nope' refers to 'nope', which is not defined/);
  // nodes may be listed in any order: dependencies come first
  const g5 = parseWebnn('webnn_graph "g" v1 { inputs { x: f32[2]; } nodes { b = relu(a); a = relu(x); } outputs { b; } }');
  assert.deepEqual(orderNodes(g5).map((n) => n.id), ['a', 'b']);
  // JSON graphs have no positions: the error names the node instead
  const json = toGraphJson(g1);
  assert.throws(() => orderNodes(graphFromJson(json)), /^GraphFileError: nodes\[1\] \('z'\): 'w' is not defined/);
});

test('JSON form errors name the path, or line:column for syntax errors', () => {
  assert.throws(() => parseGraphJsonText('{"format": "webnn-graph-json",\n "version": 1,\n "nodes": [}'), (err: unknown) => {
    assert.ok(err instanceof GraphFileError);
    assert.equal(err.pos?.line, 3);
    assert.match(err.message, /^3:\d+: invalid JSON/);
    return true;
  });
  assert.throws(() => graphFromJson({ format: 'onnx' }), /\$\.format: expected "webnn-graph-json", found "onnx"/);
  assert.throws(() => graphFromJson({ format: 'webnn-graph-json', version: 1, nodes: [{ id: 'a', op: 3 }] }), /\$\.nodes\[0\]\.op: expected a string, found 3/);
  assert.throws(() => graphFromJson({ format: 'webnn-graph-json', version: 1, nodes: [], consts: { w: { dataType: 'float32', shape: [1], init: { kind: 'file' } } } }), /\$\.consts\.w\.init\.kind: expected "weights", "scalar" or "inlineBytes"/);
  assert.throws(() => graphFromJson({ format: 'webnn-graph-json', version: 2, nodes: [], inputs: { x: { dataType: 'float64', shape: [] } } }), /\$\.inputs\.x\.dataType: expected a data type/);
});

test('no input crashes or hangs the parser: every prefix of a graph either parses or fails with a located error', () => {
  const src = readFileSync(`${examples}mlp.webnn`, 'utf8') + ISSUE_EXAMPLE;
  for (let end = 0; end < src.length; end += 3) {
    for (const text of [src.slice(0, end), src.slice(0, end) + '\u0007' + src.slice(end + 1)]) {
      try {
        parseWebnn(text);
      } catch (err) {
        assert.ok(err instanceof GraphFileError && err.pos, `prefix ${end}: ${String(err)}`);
      }
    }
  }
});

test('integers beyond 2^53 stay exact through the JSON form', () => {
  const g = parseWebnn('webnn_graph "g" v1 { inputs { x: i64[2]; } consts { k: u64[1] @scalar(18446744073709551615); } nodes { y = clamp(x, minValue=-9007199254740993, maxValue=3, label="12345678901234567890"); } outputs { y; } }');
  const json = printGraphJson(g);
  assert.match(json, /"value": 18446744073709551615/);
  assert.match(json, /"minValue": -9007199254740993/);
  assert.match(json, /"label": "12345678901234567890"/);
  const back = parseGraphJsonText(json);
  assert.deepEqual(back, g);
  assert.equal(back.nodes[0]!.options.minValue, -9007199254740993n);
  assert.equal(printWebnn(back), printWebnn(g));
});

test('@bytes takes bytes 0 to 255: 255 is a byte, 256 is out of range at its position', () => {
  const g = parseWebnn('webnn_graph "g" v1 {\n  consts { w: u8[4] @bytes([0, 1, 254, 255]); }\n}');
  assert.deepEqual(g.consts.w!.init, { kind: 'inlineBytes', bytes: [0, 1, 254, 255] });
  failsAt(() => parseWebnn('webnn_graph "g" v1 {\n  consts { w: u8[4] @bytes([0, 1, 254, 256]); }\n}'), 2, 40, /^2:40: byte 256 is out of range: expected 0 to 255$/);
});

test('JSON-form strings: raw U+0000 to U+001F are refused where they stand, U+0020 and above are text', () => {
  const doc = (s: string) => `{"a": "x${s}y"}`;
  for (const code of [0x00, 0x09, 0x0a, 0x1f]) {
    failsAt(() => parseJson(doc(String.fromCharCode(code))), 1, 9, /^1:9: invalid JSON: control character in a string: expected \\n, \\t or \\uXXXX$/);
  }
  for (const code of [0x20, 0x21, 0x7f, 0xa0]) assert.deepEqual(parseJson(doc(String.fromCharCode(code))), { a: `x${String.fromCharCode(code)}y` });
  // Escaped, the same characters are fine.
  assert.deepEqual(parseJson(doc('\\u001f\\u0000\\t')), { a: 'x\u001f\u0000\ty' });
  // Through the graph's JSON form: a label with a raw U+001F fails at its line and column.
  const json = printGraphJson(parseWebnn('webnn_graph "g" v1 { inputs { x: f32[2]; } nodes { y = relu(x, label="ab"); } outputs { y; } }'));
  const at = json.indexOf('"ab"') + 2;
  const line = json.slice(0, at).split('\n').length;
  const column = at - json.lastIndexOf('\n', at - 1);
  failsAt(() => parseGraphJsonText(json.replace('"ab"', '"a\u001fb"')), line, column, /control character in a string/);
  assert.equal(parseGraphJsonText(json.replace('"ab"', '"a b"')).nodes[0]!.options.label, 'a b');
});
