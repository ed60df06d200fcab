"""StreamField blocks shared by every content kind. Templates live in templates/blocks/."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("gambar"))
    alt_text = blocks.CharBlock(
        label=_("teks alternatif"),
        max_length=250,
        help_text=_("Apa yang tampak di gambar, untuk pembaca tunanetra. Wajib diisi."),
    )
    caption = blocks.CharBlock(label=_("keterangan"), required=False, max_length=300)
    credit = blocks.CharBlock(label=_("kredit foto"), required=False, max_length=120)

    class Meta:
        icon = "image"
        template = "blocks/captioned_image_block.html"
        label = _("Gambar")
        description = _("Gambar dengan teks alternatif, keterangan, dan kredit")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("kutipan"))
    attribution = blocks.CharBlock(label=_("sumber kutipan"), required=False, max_length=150)

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        label = _("Kutipan")
        description = _("Kutipan dengan nama sumbernya")


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("dokumen"))
    title = blocks.CharBlock(label=_("judul tautan"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        template = "blocks/document_link_block.html"
        label = _("Tautan dokumen")
        description = _("Tautan unduh ke dokumen (PDF, DOCX, XLSX, ...)")


class VideoEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("URL video"), help_text=_("Contoh: tautan YouTube kanal resmi KPU"))
    caption = blocks.CharBlock(label=_("keterangan"), required=False, max_length=300)

    class Meta:
        icon = "media"
        template = "blocks/embed_block.html"
        label = _("Sematan")
        description = _("Video atau media dari URL (YouTube dan sejenisnya)")


class BaseStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        label=_("Paragraf"),
        description=_("Teks dengan judul kecil, daftar, dan tautan"),
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    embed = VideoEmbedBlock()
    document = DocumentLinkBlock()
    table = TableBlock(
        icon="table",
        template="blocks/table_block.html",
        label=_("Tabel"),
        description=_("Tabel sederhana; baris pertama sebagai judul kolom"),
        table_options={"startRows": 3, "startCols": 3},
    )

    class Meta:
        label = _("Isi")
