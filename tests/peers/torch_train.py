#!/usr/bin/python3
"""Peer of `moesim bench train`: the same Transformer in PyTorch, trained on the same shapes.

Pre-RMSNorm blocks, RoPE on interleaved pairs, causal attention, SwiGLU FFN of hidden size d (w13 stacked
as in moesim), or an MoE FFN (softmax router, top-k, renormalised weights, Switch balancing loss / k,
experts run over the tokens routed to them), final RMSNorm, untied head, AdamW with clipping at 1.0.

Two modes:
  --mode eager   fp32, eager, a Python loop over the experts (the straightforward port).
  --mode strong  what a practitioner would run: bf16 autocast on a GPU that has it (fp32 master weights and
                 AdamW state), torch.compile, scaled_dot_product_attention, fused AdamW, and the experts as
                 grouped GEMMs over the tokens sorted by expert (torch._grouped_mm where this PyTorch has it
                 on this device, else one GEMM per expert over contiguous slices). Whatever is unavailable
                 falls back, and the `peer:` line says what ran.
Prints `peer: ...` and `tokens_per_second: X`.
"""
import argparse
import time

import torch
import torch.nn.functional as F


class RMSNorm(torch.nn.Module):
    def __init__(self, d, eps=1e-5):
        super().__init__()
        self.w = torch.nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.w


def rope(x, base=10000.0):  # x (B, H, T, hd): pairs (2i, 2i+1) rotate by t * base^(-2i/hd)
    B, H, T, hd = x.shape
    freq = base ** (-torch.arange(0, hd, 2, dtype=torch.float32, device=x.device) / hd)
    ang = torch.arange(T, dtype=torch.float32, device=x.device)[:, None] * freq[None, :]
    c, s = ang.cos(), ang.sin()
    a, b = x[..., 0::2], x[..., 1::2]
    return torch.stack((a * c - b * s, a * s + b * c), dim=-1).flatten(-2)


def causal_attention(q, k, v):
    if hasattr(F, "scaled_dot_product_attention"):  # PyTorch >= 2.0
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)
    T = q.shape[-2]
    s = (q @ k.transpose(-2, -1)) / q.shape[-1] ** 0.5
    s = s.masked_fill(torch.ones(T, T, dtype=torch.bool, device=q.device).triu(1), float("-inf"))
    return F.softmax(s, dim=-1) @ v


class Block(torch.nn.Module):
    def __init__(self, d, H, E, k):
        super().__init__()
        self.H, self.E, self.k = H, E, k
        self.n1, self.n2 = RMSNorm(d), RMSNorm(d)
        self.qkv = torch.nn.Linear(d, 3 * d, bias=False)
        self.proj = torch.nn.Linear(d, d, bias=False)
        n = max(E, 1)
        self.w13 = torch.nn.Parameter(torch.randn(n, 2 * d, d) * 0.02)
        self.w2 = torch.nn.Parameter(torch.randn(n, d, d) * 0.02)
        self.router = torch.nn.Linear(d, E, bias=False) if E else None

    def ffn(self, x, e):
        h = x @ self.w13[e].t()
        a, b = h.chunk(2, dim=-1)
        return (F.silu(a) * b) @ self.w2[e].t()

    def grouped_experts(self, xn, probs):  # xn (n, d), probs (n, E) -> (n, d): no loop over experts
        n, d = xn.shape
        w, idx = probs.topk(self.k, dim=-1)                   # (n, k)
        w = w / w.sum(-1, keepdim=True)
        flat = idx.reshape(-1)                                # (n*k,) expert of each (token, slot)
        order = torch.argsort(flat, stable=True)              # (n*k,) slots sorted by expert
        tok = order // self.k                                 # (n*k,) the token of each sorted slot
        counts = torch.zeros(self.E, dtype=torch.long, device=xn.device).scatter_add_(0, flat, torch.ones_like(flat))
        xs = xn[tok]                                          # (n*k, d)
        if GROUPED_MM:
            offs = counts.cumsum(0).to(torch.int32)           # (E,) end of each expert's rows
            bf = torch.bfloat16
            h = torch._grouped_mm(xs.to(bf), self.w13.to(bf).transpose(-2, -1), offs=offs)  # (n*k, 2d)
            a, b = h.chunk(2, dim=-1)
            y = torch._grouped_mm((F.silu(a) * b).contiguous(), self.w2.to(bf).transpose(-2, -1), offs=offs)
        else:
            parts = xs.split(counts.tolist())                 # one host sync per layer
            y = torch.cat([self.ffn(p, e) for e, p in enumerate(parts)])
        y = y * w.reshape(-1)[order, None].to(y.dtype)
        out = torch.zeros(n, d, dtype=y.dtype, device=xn.device).index_add_(0, tok, y)
        aux = 0.01 * self.E / self.k * ((counts.float() / n) * probs.mean(0)).sum()
        return out, aux

    def forward(self, x):
        B, T, d = x.shape
        q, k, v = self.qkv(self.n1(x)).view(B, T, 3, self.H, d // self.H).permute(2, 0, 3, 1, 4)
        y = causal_attention(rope(q), rope(k), v)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, d))
        xn = self.n2(x).view(B * T, d)
        if not self.E:
            return x + self.ffn(xn, 0).view(B, T, d), 0.0
        probs = F.softmax(self.router(xn).float(), dim=-1)
        if STRONG:
            out, aux = self.grouped_experts(xn, probs)
            return x + out.view(B, T, d).to(x.dtype), aux
        w, idx = probs.topk(self.k, dim=-1)
        w = w / w.sum(-1, keepdim=True)
        out = torch.zeros_like(xn)
        counts = torch.zeros(self.E, device=x.device)
        for e in range(self.E):
            tok, slot = (idx == e).nonzero(as_tuple=True)
            counts[e] = tok.numel()
            if tok.numel():
                out.index_add_(0, tok, self.ffn(xn[tok], e) * w[tok, slot, None])
        aux = 0.01 * self.E / self.k * ((counts / (B * T)) * probs.mean(0)).sum()
        return x + out.view(B, T, d), aux


class Model(torch.nn.Module):
    def __init__(self, V, d, L, H, E, k):
        super().__init__()
        self.embed = torch.nn.Embedding(V, d)
        self.blocks = torch.nn.ModuleList(Block(d, H, E, k) for _ in range(L))
        self.norm = RMSNorm(d)
        self.head = torch.nn.Linear(d, V, bias=False)

    def forward(self, tokens):
        x, aux = self.embed(tokens), 0.0
        for b in self.blocks:
            x, a = b(x)
            aux = aux + a
        return self.head(self.norm(x)), aux


STRONG = False      # --mode strong
GROUPED_MM = False  # torch._grouped_mm works here (a probe at start)


def grouped_mm_works(dev):
    if not hasattr(torch, "_grouped_mm") or dev.type != "cuda":
        return False
    try:
        a = torch.randn(32, 16, device=dev, dtype=torch.bfloat16, requires_grad=True)
        b = torch.randn(2, 16, 16, device=dev, dtype=torch.bfloat16, requires_grad=True)
        y = torch._grouped_mm(a, b.transpose(-2, -1), offs=torch.tensor([16, 32], device=dev, dtype=torch.int32))
        y.float().sum().backward()  # training needs its backward too
        return True
    except Exception:  # noqa: BLE001 -- any failure means: not on this device
        return False


def make_adamw(params, fused):
    if fused:
        try:
            return torch.optim.AdamW(params, lr=1e-3, weight_decay=0.1, fused=True), "fused"
        except (TypeError, RuntimeError):
            pass
    return torch.optim.AdamW(params, lr=1e-3, weight_decay=0.1), "default"


def main():
    global STRONG, GROUPED_MM
    ap = argparse.ArgumentParser(description=__doc__)
    for name, default in [("vocab", 128), ("d", 64), ("layers", 2), ("heads", 4), ("experts", 0), ("top-k", 2),
                          ("batch", 32), ("seq", 64), ("steps", 20), ("warmup", 3), ("threads", 2)]:
        ap.add_argument("--" + name, type=int, default=default)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--mode", choices=["eager", "strong"], default="eager")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dev = torch.device(a.device)
    STRONG = a.mode == "strong"
    GROUPED_MM = STRONG and a.experts > 0 and grouped_mm_works(dev)
    model = Model(a.vocab, a.d, a.layers, a.heads, a.experts, a.top_k).to(dev)
    opt, adamw = make_adamw(model.parameters(), fused=STRONG)
    tokens = torch.randint(0, a.vocab, (a.batch, a.seq), device=dev)
    targets = torch.randint(0, a.vocab, (a.batch, a.seq), device=dev)
    # bf16 on the GPU only: a CPU without bf16 matrix units runs it slower than fp32.
    bf16 = STRONG and dev.type == "cuda" and torch.cuda.is_bf16_supported()
    forward = model
    compiled, grouped_failed = "off", ""
    if STRONG and hasattr(torch, "compile"):
        forward, compiled = torch.compile(model), "on"

    def step():
        opt.zero_grad(set_to_none=True)
        with torch.autocast(device_type=dev.type, dtype=torch.bfloat16, enabled=bf16):
            logits, aux = forward(tokens)
            loss = F.cross_entropy(logits.view(-1, a.vocab).float(), targets.view(-1)) + aux
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    # The first step compiles in strong mode. What fails there is dropped, and the `peer:` line says so:
    # first the compiler, then the grouped GEMM (its backward may be missing in this PyTorch).
    while True:
        try:
            step()
            break
        except Exception as e:  # noqa: BLE001 -- any failure of an optional piece
            if forward is not model:
                forward, compiled = model, "failed (" + type(e).__name__ + ")"
            elif GROUPED_MM:
                GROUPED_MM, grouped_failed = False, type(e).__name__
            else:
                raise
    experts = "none" if not a.experts else ("grouped_mm" if GROUPED_MM else "sorted slices" if STRONG else "python loop")
    if grouped_failed:
        experts += " (grouped_mm failed: " + grouped_failed + ")"
    attention = "sdpa" if hasattr(F, "scaled_dot_product_attention") else "matmul-softmax"
    print(f"peer: mode={a.mode} precision={'bf16' if bf16 else 'fp32'} compile={compiled} attention={attention} "
          f"adamw={adamw} experts={experts} torch={torch.__version__}")
    for _ in range(max(a.warmup - 1, 0)):
        step()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    for _ in range(a.steps):
        step()
    if dev.type == "cuda":
        torch.cuda.synchronize()
    print(f"tokens_per_second: {a.batch * a.seq * a.steps / (time.perf_counter() - t0):.1f}")


if __name__ == "__main__":
    main()
