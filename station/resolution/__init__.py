"""Customer resolution: proposals, rules, the queue, issuing one or many, closing."""
