#!/usr/bin/python3
"""Peer of `moesim bench train`: the same Transformer in PyTorch, trained on the same shapes.

Pre-RMSNorm blocks, RoPE on interleaved pairs, causal attention, SwiGLU FFN of hidden size d (w13 stacked
as in moesim), or an MoE FFN (softmax router, top-k, renormalised weights, Switch balancing loss / k,
experts run over the tokens routed to them), final RMSNorm, untied head, AdamW with clipping at 1.0.
Prints `tokens_per_second: X`.
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

    def forward(self, x):
        B, T, d = x.shape
        q, k, v = self.qkv(self.n1(x)).view(B, T, 3, self.H, d // self.H).permute(2, 0, 3, 1, 4)
        y = causal_attention(rope(q), rope(k), v)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, d))
        xn = self.n2(x).view(B * T, d)
        if not self.E:
            return x + self.ffn(xn, 0).view(B, T, d), 0.0
        probs = F.softmax(self.router(xn), dim=-1)
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


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    for name, default in [("vocab", 128), ("d", 64), ("layers", 2), ("heads", 4), ("experts", 0), ("top-k", 2),
                          ("batch", 32), ("seq", 64), ("steps", 20), ("warmup", 3), ("threads", 2)]:
        ap.add_argument("--" + name, type=int, default=default)
    ap.add_argument("--device", default="cpu")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dev = torch.device(a.device)
    model = Model(a.vocab, a.d, a.layers, a.heads, a.experts, a.top_k).to(dev)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.1)
    tokens = torch.randint(0, a.vocab, (a.batch, a.seq), device=dev)
    targets = torch.randint(0, a.vocab, (a.batch, a.seq), device=dev)

    def step():
        opt.zero_grad(set_to_none=True)
        logits, aux = model(tokens)
        loss = F.cross_entropy(logits.view(-1, a.vocab), targets.view(-1)) + aux
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    for _ in range(a.warmup):
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
