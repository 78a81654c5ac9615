import io

from PIL import Image, ImageDraw

from guwen.core.photohash import dhash, distance


def _photo() -> Image.Image:
    """Something like a photo: light varying across the frame, a few shapes."""
    image = Image.new("RGB", (320, 200))
    image.putdata(
        [(x * 255 // 320, (x + y) * 255 // 520, 255 - y * 255 // 200) for y in range(200) for x in range(320)]
    )
    draw = ImageDraw.Draw(image)
    draw.rectangle((30, 30, 150, 90), fill=(180, 35, 24))
    draw.ellipse((180, 100, 300, 190), fill=(40, 60, 90))
    return image


def _encode(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def test_the_same_photo_resized_and_recompressed_hashes_alike():
    original = _photo()
    copy = original.resize((160, 100)).convert("RGB")
    assert distance(dhash(_encode(original)), dhash(_encode(copy, "JPEG", quality=60))) < 4


def test_a_different_picture_hashes_apart_and_garbage_has_no_hash():
    other = _photo().transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    assert distance(dhash(_encode(_photo())), dhash(_encode(other))) >= 10
    assert dhash(b"not an image") is None
