#!/usr/bin/env python3
"""Writes the generated seed inputs of two fuzz targets (the others' seeds are plain text files).

  video_reader/  truncated and bit-flipped copies of testdata/example-2.mp4 (the moov atom sits at
                 the front, so a truncated copy still opens and decodes its first frames)
  tflite_model/  tiny TFLite models, one per operator family the executor supports, laid out as
                 FlatBuffers by the small writer below (no flatbuffers package needed)

Run from anywhere: fuzz/tools/make_seeds.py. Deterministic: the same files every time.
"""
import os
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "fuzz", "corpus")


def write(target, name, data):
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    with open(os.path.join(CORPUS, target, name), "wb") as f:
        f.write(data)


# ---- video seeds ----

def video_seeds():
    with open(os.path.join(ROOT, "testdata", "example-2.mp4"), "rb") as f:
        clip = f.read()
    for size in (11_700, 40_000, 96_000):
        write("video_reader", f"example-2-first-{size}", clip[:size])
    base = bytearray(clip[:40_000])
    # Flip one bit every 997 bytes inside the moov atom (offsets 32..11618): broken tables.
    moov = bytearray(base)
    for i in range(40, 11_600, 997):
        moov[i] ^= 1 << (i % 8)
    write("video_reader", "example-2-flipped-moov", bytes(moov))
    # Flip bits in the compressed frames only: the container opens, decoding meets garbage.
    mdat = bytearray(base)
    for i in range(11_700, len(mdat), 331):
        mdat[i] ^= 1 << (i % 8)
    write("video_reader", "example-2-flipped-frames", bytes(mdat))
    write("video_reader", "not-a-video", b"this is a text file, not a video\n")


# ---- a minimal FlatBuffers writer (forward offsets only) ----

class Buf:
    def __init__(self):
        self.b = bytearray()

    def align(self, n):
        while len(self.b) % n:
            self.b.append(0)

    def put(self, fmt, *v):
        pos = len(self.b)
        self.b += struct.pack("<" + fmt, *v)
        return pos

    def patch_uoffset(self, at, target):
        struct.pack_into("<I", self.b, at, target - at)


class Table:
    """fields: list of (id, fmt, value) for scalars, or (id, 'o', child) for a child object."""

    def __init__(self, fields):
        self.fields = fields


class Vec:
    def __init__(self, fmt, items, align=4):
        self.fmt, self.items, self.alignment = fmt, items, align


class TableVec:
    def __init__(self, tables):
        self.tables = tables


class Str:
    def __init__(self, s):
        self.s = s.encode()


def emit(buf, obj):
    """Writes obj at the end of buf; returns its position (what an offset points at)."""
    if isinstance(obj, Str):
        buf.align(4)
        pos = buf.put("I", len(obj.s))
        buf.b += obj.s + b"\0"
        return pos
    if isinstance(obj, Vec):
        # The length word sits right before the elements, which must be aligned.
        a = max(4, obj.alignment)
        while (len(buf.b) + 4) % a:
            buf.b.append(0)
        pos = buf.put("I", len(obj.items))
        if obj.fmt:
            for v in obj.items:
                buf.put(obj.fmt, v)
        else:
            buf.b += obj.items  # raw bytes
        return pos
    if isinstance(obj, TableVec):
        buf.align(4)
        pos = buf.put("I", len(obj.tables))
        slots = [buf.put("I", 0) for _ in obj.tables]
        for slot, t in zip(slots, obj.tables):
            buf.patch_uoffset(slot, emit(buf, t))
        return pos
    if isinstance(obj, Table):
        fields = sorted(obj.fields, key=lambda f: f[0])
        nfields = (fields[-1][0] + 1) if fields else 0
        # Layout of the table body: soffset to the vtable, then each field aligned.
        layout, off = [], 4
        for fid, fmt, val in fields:
            fsize = 4 if fmt == "o" else struct.calcsize("<" + fmt)
            while off % fsize:
                off += 1
            layout.append((fid, fmt, val, off))
            off += fsize
        table_size = off
        buf.align(2)
        vt = buf.put("HH", 4 + 2 * nfields, table_size)
        slots = [0] * nfields
        for fid, _, _, foff in layout:
            slots[fid] = foff
        for s in slots:
            buf.put("H", s)
        buf.align(8)
        tpos = len(buf.b)
        buf.b += bytes(table_size)
        struct.pack_into("<i", buf.b, tpos, tpos - vt)
        children = []
        for fid, fmt, val, foff in layout:
            if fmt == "o":
                children.append((tpos + foff, val))
            else:
                struct.pack_into("<" + fmt, buf.b, tpos + foff, val)
        for at, child in children:
            buf.patch_uoffset(at, emit(buf, child))
        return tpos
    raise TypeError(obj)


def model_bytes(model):
    buf = Buf()
    buf.put("I", 0)
    buf.b += b"TFL3"
    buf.patch_uoffset(0, emit(buf, model))
    return bytes(buf.b)


# ---- TFLite models ----
F32, F16, I32 = 0, 1, 2
ADD, CONCAT, CONV, DWCONV, D2S, DEQUANT, LOGISTIC, MAXPOOL, MUL, RELU, RELU6, RESHAPE, RESIZE, PAD, DENSIFY = (
    0, 2, 3, 4, 5, 6, 14, 17, 18, 19, 21, 22, 23, 34, 124)


def half(x):
    return struct.unpack("<H", struct.pack("<e", x))[0]


def tensor(name, shape, type_=F32, buffer=0, sparsity=None):
    fields = [(0, "o", Vec("i", shape)), (1, "b", type_), (2, "I", buffer), (3, "o", Str(name))]
    if sparsity is not None:
        fields.append((6, "o", sparsity))
    return Table(fields)


def buffer(data=None):
    return Table([] if data is None else [(0, "o", Vec("", data, align=16))])


def op(code_index, inputs, outputs, options=None, options_type=0):
    fields = [(0, "I", code_index), (1, "o", Vec("i", inputs)), (2, "o", Vec("i", outputs))]
    if options is not None:
        fields += [(3, "B", options_type), (4, "o", Table(options))]
    return Table(fields)


def model(codes, tensors, inputs, outputs, ops, buffers):
    opcodes = TableVec([Table([(0, "b", min(c, 127)), (2, "i", 1), (3, "i", c)]) for c in codes])
    subgraph = Table([(0, "o", TableVec(tensors)), (1, "o", Vec("i", inputs)), (2, "o", Vec("i", outputs)),
                      (3, "o", TableVec(ops)), (4, "o", Str("main"))])
    return model_bytes(Table([(0, "I", 3), (1, "o", opcodes), (2, "o", TableVec([subgraph])),
                              (3, "o", Str("fuzz seed")), (4, "o", TableVec(buffers))]))


def f16_bytes(values):
    return b"".join(struct.pack("<H", half(v)) for v in values)


def f32_bytes(values):
    return b"".join(struct.pack("<f", v) for v in values)


def tflite_seeds():
    # conv: fp16 filter dequantized, bias, SAME padding, stride 1, RELU6.
    filt = [0.1 * ((i % 5) - 2) for i in range(4 * 3 * 3 * 2)]
    write("tflite_model", "conv_dequantize_relu6", model(
        [DEQUANT, CONV],
        [tensor("input", [1, 6, 6, 2]), tensor("w16", [4, 3, 3, 2], F16, 1), tensor("w", [4, 3, 3, 2]),
         tensor("bias", [4], F32, 2), tensor("out", [1, 6, 6, 4])],
        [0], [4],
        [op(0, [1], [2]), op(1, [0, 2, 3], [4], [(0, "b", 0), (1, "i", 1), (2, "i", 1), (3, "b", 3)], 1)],
        [buffer(), buffer(f16_bytes(filt)), buffer(f32_bytes([0.0, 0.5, -0.5, 1.0]))]))
    # depthwise 5x5 stride 2 VALID, then ADD with a constant, LOGISTIC.
    dw = [0.05 * (i % 3) for i in range(5 * 5 * 3)]
    write("tflite_model", "depthwise_add_logistic", model(
        [DWCONV, ADD, LOGISTIC],
        [tensor("input", [1, 9, 9, 3]), tensor("dw", [1, 5, 5, 3], F32, 1), tensor("d", [1, 3, 3, 3]),
         tensor("c", [1, 1, 1, 3], F32, 2), tensor("s", [1, 3, 3, 3]), tensor("out", [1, 3, 3, 3])],
        [0], [5],
        [op(0, [0, 1, -1], [2], [(0, "b", 1), (1, "i", 2), (2, "i", 2), (3, "i", 1), (4, "b", 0)], 2),
         op(1, [2, 3], [4], [(0, "b", 1)], 11), op(2, [4], [5])],
        [buffer(), buffer(f32_bytes(dw)), buffer(f32_bytes([1.0, -1.0, 0.25]))]))
    # pad, max pool, resize bilinear (half-pixel), reshape.
    write("tflite_model", "pad_pool_resize_reshape", model(
        [PAD, MAXPOOL, RESIZE, RESHAPE],
        [tensor("input", [1, 4, 4, 2]), tensor("pads", [4, 2], I32, 1), tensor("p", [1, 6, 6, 2]),
         tensor("m", [1, 3, 3, 2]), tensor("r", [1, 6, 6, 2]), tensor("out", [1, 72])],
        [0], [5],
        [op(0, [0, 1], [2]), op(1, [2], [3], [(0, "b", 1), (1, "i", 2), (2, "i", 2), (3, "i", 2), (4, "i", 2)], 5),
         op(2, [3], [4], [(2, "B", 0), (3, "B", 1)], 15), op(3, [4], [5])],
        [buffer(), buffer(struct.pack("<8i", 0, 0, 1, 1, 1, 1, 0, 0))]))
    # depth-to-space, mul, relu, and a concatenated output (done by hand in the executor).
    write("tflite_model", "depth_to_space_mul_concat", model(
        [D2S, MUL, RELU, CONCAT],
        [tensor("input", [1, 2, 2, 8]), tensor("d", [1, 4, 4, 2]), tensor("k", [1, 1, 1, 2], F32, 1),
         tensor("m", [1, 4, 4, 2]), tensor("r", [1, 4, 4, 2]), tensor("out", [1, 4, 4, 4])],
        [0], [5],
        [op(0, [0], [1], [(0, "i", 2)], 94), op(1, [1, 2], [3], [(0, "b", 0)], 21), op(2, [3], [4]),
         op(3, [3, 4], [5], [(0, "i", 3), (1, "b", 0)], 10)],
        [buffer(), buffer(f32_bytes([2.0, -3.0]))]))
    # DENSIFY of a CSR-sparse fp16 1x1 conv filter [4,1,1,2], then DEQUANTIZE and CONV.
    segments = Table([(0, "o", Vec("i", [0, 1, 2, 3, 4]))])
    indices = Table([(0, "o", Vec("i", [0, 1, 0, 1]))])
    sparsity = Table([
        (0, "o", Vec("i", [0, 1, 2, 3])),
        (2, "o", TableVec([
            Table([(0, "b", 0), (1, "i", 4)]),
            Table([(0, "b", 0), (1, "i", 1)]),
            Table([(0, "b", 0), (1, "i", 1)]),
            Table([(0, "b", 1), (2, "B", 1), (3, "o", segments), (4, "B", 1), (5, "o", indices)]),
        ]))])
    write("tflite_model", "densify_conv", model(
        [DENSIFY, DEQUANT, CONV, RELU6],
        [tensor("input", [1, 3, 3, 2]), tensor("ws", [4, 1, 1, 2], F16, 1, sparsity),
         tensor("w16", [4, 1, 1, 2], F16), tensor("w", [4, 1, 1, 2]), tensor("c", [1, 3, 3, 4]),
         tensor("out", [1, 3, 3, 4])],
        [0], [5],
        [op(0, [1], [2]), op(1, [2], [3]), op(2, [0, 3, -1], [4], [(0, "b", 0), (1, "i", 1), (2, "i", 1)], 1),
         op(3, [4], [5])],
        [buffer(), buffer(f16_bytes([0.5, -0.5, 1.0, 2.0]))]))
    # The finding of fuzz/tflite_model's fifth run, rebuilt by hand: a SAME convolution whose
    # dilation (2^30) overflowed int in its padding arithmetic (UBSan). Refused since.
    write("tflite_model", "crash-conv-same-padding-of-a-huge-dilation", model(
        [CONV],
        [tensor("input", [1, 6, 6, 2]), tensor("w", [4, 3, 3, 2], F32, 1), tensor("out", [1, 6, 6, 4])],
        [0], [2],
        [op(0, [0, 1, -1], [2], [(0, "b", 0), (1, "i", 1), (2, "i", 1), (3, "b", 0), (4, "i", 1),
                                  (5, "i", 1 << 30)], 1)],
        [buffer(), buffer(f32_bytes([0.1 * ((i % 5) - 2) for i in range(4 * 3 * 3 * 2)]))]))


if __name__ == "__main__":
    video_seeds()
    tflite_seeds()
