"""Accuracy, the metric ``fit`` and ``evaluate`` report."""

from nnlib import backend


def accuracy(output, target, threshold=0.5):
    """The fraction of examples whose predicted class is the target class (a Python float).

    Two cases, decided by the shape of ``output``:

    - Multi-class, ``output`` of shape (N, C) with C > 1 (scores, logits or
      probabilities): the prediction is the argmax over the last axis.
      ``target`` holds class indices, shape (N,), or one-hot rows (N, C),
      whose argmax is taken.
    - Labels, ``output`` of integer dtype and shape (N,): compared with ``target`` as they are.
    - Binary, floating ``output`` of shape (N,) or (N, 1): the prediction is
      ``output > threshold``. The default 0.5 suits sigmoid probabilities;
      use ``threshold=0`` for raw logits. ``target`` holds 0/1 labels of
      shape (N,) or (N, 1) (a target counts as 1 when it is > 0.5).
    """
    xp = backend.namespace(output)
    target = backend.asarray(target, like=output)
    if output.ndim >= 2 and output.shape[-1] > 1:
        predicted = xp.argmax(output, axis=-1)
        if target.ndim == output.ndim:
            target = xp.argmax(target, axis=-1)
    elif output.ndim == 1 and xp.isdtype(output.dtype, "integral"):
        predicted = output  # already class labels
    else:
        predicted = output > threshold
        if output.ndim >= 2:
            predicted = predicted[..., 0]
        if target.ndim == predicted.ndim + 1 and target.shape[-1] == 1:
            target = target[..., 0]
        target = target > 0.5
    if tuple(predicted.shape) != tuple(target.shape):
        raise ValueError(
            f"accuracy: output of shape {tuple(output.shape)} gives predictions of shape "
            f"{tuple(predicted.shape)}, but target has shape {tuple(target.shape)}."
        )
    n = predicted.shape[0] if predicted.ndim else 1
    if n == 0:
        raise ValueError("accuracy: no examples (output is empty).")
    return int(xp.sum(xp.astype(predicted == target, xp.int64))) / n
