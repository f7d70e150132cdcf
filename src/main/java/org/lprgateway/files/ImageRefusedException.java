package org.lprgateway.files;

/**
 * An image that can never be sent as it is: outside the image folder, missing, empty, not a JPEG
 * or over the size limit. Its row's image is parked with this message as the reason; the record
 * itself is still delivered.
 */
public class ImageRefusedException extends RuntimeException {

    public ImageRefusedException(String reason) {
        super(reason);
    }
}
