resource "aws_db_instance" "app" {
  identifier          = "app-prod"
  engine              = "postgres"
  engine_version      = "15.4"
  instance_class      = "db.t4g.medium"
  allocated_storage   = 50
  username            = "app"
  password            = var.db_password
  storage_encrypted   = true
  skip_final_snapshot = false
}
