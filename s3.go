package invapi

// S3Service wraps s3.php: S3 storage.
type S3Service service
