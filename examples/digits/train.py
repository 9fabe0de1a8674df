#!/usr/bin/python3
"""Trains the digits CNN and exports it, with its held-out test split.

The data are the 8x8 handwritten digits that scikit-learn ships
(sklearn.datasets.load_digits: 1797 images of 10 classes, pixel values
0..16). A stratified fifth of them is held out. A small CNN (two
convolutions with BatchNorm, max pooling, dropout, two linear layers) is
trained with PyTorch on the rest, deterministically on the CPU, and
exported to ONNX with a dynamic batch dimension.

Writes, into model/ next to this script:
  digits.onnx            the trained model: "image" float32 [batch,1,8,8]
                         (pixels / 16) -> "logits" float32 [batch,10]
  test_images.npy        the held-out images, float32 [N,1,8,8], scaled
  test_labels.npy        their labels, int64 [N]
  torch_predictions.npy  PyTorch's predicted class for each, int64 [N]
  reference.txt          PyTorch's accuracy on the held-out split

Run with Debian's interpreter: /usr/bin/python3 examples/digits/train.py
(needs python3-torch, python3-sklearn, python3-onnx, python3-numpy).
"""

import argparse
import os

import numpy as np
import onnx
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch import nn


class DigitsCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.MaxPool2d(2),                                  # 32 x 4 x 4
            nn.Conv2d(32, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.MaxPool2d(2))                                  # 32 x 2 x 2
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Dropout(0.25), nn.Linear(128, 64), nn.ReLU(),
            nn.Linear(64, 10))

    def forward(self, image):
        return self.classifier(self.features(image))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "model"))
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)

    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    labels = digits.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=0.2, random_state=args.seed,
        stratify=labels)

    model = DigitsCNN()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(
        optimizer, T_max=args.epochs)
    loss_fn = nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x_train), torch.from_numpy(y_train)
    generator = torch.Generator().manual_seed(args.seed)
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(xt), generator=generator)
        total = 0.0
        for start in range(0, len(xt), 64):
            batch = order[start:start + 64]
            optimizer.zero_grad()
            loss = loss_fn(model(xt[batch]), yt[batch])
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        scheduler.step()
        if (epoch + 1) % 10 == 0:
            print(f"epoch {epoch + 1}: training loss {total / len(xt):.4f}")

    model.eval()
    with torch.no_grad():
        predictions = model(torch.from_numpy(x_test)).argmax(1).numpy()
    correct = int((predictions == y_test).sum())
    accuracy = correct / len(y_test)
    print(f"PyTorch accuracy on the held-out split: {correct}/{len(y_test)}"
          f" = {100 * accuracy:.2f}%")

    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, "digits.onnx")
    torch.onnx.export(
        model, torch.from_numpy(x_test[:1]), path, input_names=["image"],
        output_names=["logits"], dynamic_axes={"image": {0: "batch"},
                                               "logits": {0: "batch"}},
        opset_version=17, do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))
    np.save(os.path.join(args.out, "test_images.npy"), x_test)
    np.save(os.path.join(args.out, "test_labels.npy"), y_test)
    np.save(os.path.join(args.out, "torch_predictions.npy"),
            predictions.astype(np.int64))
    with open(os.path.join(args.out, "reference.txt"), "w") as f:
        f.write(f"PyTorch {torch.__version__}, seed {args.seed}, "
                f"{args.epochs} epochs, {len(y_train)} training images\n")
        f.write(f"held-out accuracy: {correct}/{len(y_test)} = "
                f"{100 * accuracy:.2f}%\n")
    print(f"wrote {path} and the held-out split to {args.out}")


if __name__ == "__main__":
    main()
