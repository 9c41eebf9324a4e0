variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "db_password" {
  description = "Master password of the application database."
  type        = string
  sensitive   = true
}
