"""Responsive images: resized variants of content images, srcset/sizes/width/height, alt text required."""

from pelican import signals

from .glue import add_template_filter, process_content_images


def register():
    signals.content_object_init.connect(process_content_images)
    signals.generator_init.connect(add_template_filter)
