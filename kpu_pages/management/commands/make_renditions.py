"""Make every image's missing renditions, the ones the site's templates use (kpu_pages/renditions.py).

New and edited images get theirs when they are stored. Run this after a deployment whose templates
ask for a new size, or after loading images in bulk, so that no reader's request has to make them.
Images whose renditions all exist cost one query per 200 images; safe to run again at any time.
An image whose renditions cannot be made (its original unreadable) is reported and skipped; the
exit status is 0 unless ``--strict``.
"""

from django.core.management.base import BaseCommand, CommandError

from wagtail.images import get_image_model

from kpu_pages.renditions import make_renditions, template_filter_specs


class Command(BaseCommand):
    help = "Buat rendisi yang belum ada untuk setiap gambar (ukuran yang dipakai templat situs)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--strict",
            action="store_true",
            help="keluar dengan status 1 bila ada gambar yang rendisinya belum dapat dibuat",
        )

    def handle(self, *args, **options):
        image_model = get_image_model()
        rendition_model = image_model.get_rendition_model()
        specs = template_filter_specs()
        before = rendition_model.objects.count()
        images = failed = 0
        for image in image_model.objects.order_by("pk").prefetch_renditions(*specs).iterator(chunk_size=200):
            images += 1
            if not make_renditions(image):
                failed += 1
        made = rendition_model.objects.count() - before
        self.stdout.write(f"{images} gambar diperiksa, {len(specs)} ukuran, {made} rendisi dibuat.")
        if failed:
            # One broken original must not stop a deployment: the image's readers make what they can.
            message = f"{failed} gambar belum dapat dibuat rendisinya (lihat log); jalankan lagi nanti."
            if options["strict"]:
                raise CommandError(message)
            self.stderr.write(message)
