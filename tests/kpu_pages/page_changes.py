"""The public changes a cache must never outlive, as an editor makes them (publish, unpublish, move,
delete), for the page-cache and per-worker-fragment tests. Each takes the page and an archive
section to move it to."""


def publish(item, archive):
    item.title = "Hasil rapat pleno ditetapkan"
    item.save_revision().publish()


def unpublish(item, archive):
    item.unpublish()


def move(item, archive):
    item.move(archive, pos="last-child")


def delete(item, archive):
    item.delete()


ALL = [publish, unpublish, move, delete]
