"""The swap factory: face swaps rendered from pairs of real train/ identities the way live-swap tools render them.

Training only; nothing here ships. `mesh` finds the 478-point face mesh, `warp` moves one face onto another's mesh
and draws mesh masks, `colour` holds the colour transfers of DeepFaceLab/DeepFaceLive, `recipes` renders one swap
per tool family, `autoencoder` trains the `autoencoder` recipe's generator on train's real faces, and `make_swaps`
(`callshield make-swaps`) writes a file of factory fakes for `callshield train`.
"""
